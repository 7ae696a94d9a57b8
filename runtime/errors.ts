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

/** One error of the GPU's shader compiler, with where its line came from in the .saga source. */
export interface ShaderProblem {
  readonly message: string;
  /** 1-based line of the generated WGSL, and its text. */
  readonly wgslLine?: number;
  readonly wgslText?: string;
  /** The source location (file base name, line, column) that WGSL line was generated from. */
  readonly origin?: { readonly file: string; readonly line: number; readonly col: number };
}

/** The GPU's shader compiler rejected a generated kernel: a bug in sagac or in the driver. */
export class ShaderError extends SagaError {
  constructor(
    message: string,
    readonly kernel: string,
    readonly problems: readonly ShaderProblem[],
  ) {
    super(message, 'this is a bug in sagac or in the GPU driver; please report it with the WGSL (`sagac wgsl FILE`) and `sagac info`');
    this.name = 'ShaderError';
  }
}
