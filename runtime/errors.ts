// Errors a user can cause at run time (a wrong shape, a missing weight, no GPU). The CLI prints
// these as one message, never with a stack trace; any other Error is a bug in sagac.

export class SagaError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SagaError';
  }
}
