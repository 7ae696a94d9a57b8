// The Vulkan driver's statistics for a compute shader (VK_KHR_pipeline_executable_properties):
// registers, shared memory and whatever else it reports, for the SPIR-V bench/scripts/spirv-dump.mjs
// writes. usage: vkstats FILE.spv [ENTRY] [BINDINGS] (BINDINGS: s storage, u uniform, in order).
#include <vulkan/vulkan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define CK(x) do { VkResult r_ = (x); if (r_ != VK_SUCCESS) { fprintf(stderr, "%s failed: %d\n", #x, r_); exit(1); } } while (0)
int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: vkstats FILE.spv [ENTRY]\n"); return 2; }
  FILE *f = fopen(argv[1], "rb"); if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
  uint32_t *code = malloc(n); if (fread(code, 1, n, f) != (size_t)n) return 1; fclose(f);
  const char *entry = argc > 2 ? argv[2] : "dawn_entry_point";
  VkApplicationInfo app = { VK_STRUCTURE_TYPE_APPLICATION_INFO, 0, "vkstats", 1, 0, 0, VK_API_VERSION_1_3 };
  VkInstanceCreateInfo ici = { VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, 0, 0, &app };
  VkInstance inst; CK(vkCreateInstance(&ici, 0, &inst));
  uint32_t np = 8; VkPhysicalDevice pds[8]; CK(vkEnumeratePhysicalDevices(inst, &np, pds));
  VkPhysicalDevice pd = pds[0];
  VkPhysicalDeviceProperties props; vkGetPhysicalDeviceProperties(pd, &props);
  printf("device: %s\n", props.deviceName);
  float prio = 1; VkDeviceQueueCreateInfo q = { VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, 0, 0, 0, 1, &prio };
  VkPhysicalDevicePipelineExecutablePropertiesFeaturesKHR pe = { VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PIPELINE_EXECUTABLE_PROPERTIES_FEATURES_KHR, 0, VK_TRUE };
  VkPhysicalDeviceVulkan12Features v12 = { VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES, &pe };
  v12.vulkanMemoryModel = VK_TRUE; v12.vulkanMemoryModelDeviceScope = VK_TRUE;
  VkPhysicalDeviceVulkan13Features v13 = { VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES, &v12 };
  v13.subgroupSizeControl = VK_TRUE; v13.computeFullSubgroups = VK_TRUE;
  // VKSTATS_ROBUST=1: robustBufferAccess on, as Dawn may create its device.
  VkPhysicalDeviceFeatures2 f2 = { VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &v13 };
  f2.features.robustBufferAccess = getenv("VKSTATS_ROBUST") && *getenv("VKSTATS_ROBUST") == '1';
  const char *exts[] = { "VK_KHR_pipeline_executable_properties" };
  VkDeviceCreateInfo dci = { VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, &f2, 0, 1, &q, 0, 0, 1, exts };
  VkDevice dev; CK(vkCreateDevice(pd, &dci, 0, &dev));
  PFN_vkGetPipelineExecutablePropertiesKHR getProps = (void *)vkGetDeviceProcAddr(dev, "vkGetPipelineExecutablePropertiesKHR");
  PFN_vkGetPipelineExecutableStatisticsKHR getStats = (void *)vkGetDeviceProcAddr(dev, "vkGetPipelineExecutableStatisticsKHR");
  PFN_vkGetPipelineExecutableInternalRepresentationsKHR getReprs = (void *)vkGetDeviceProcAddr(dev, "vkGetPipelineExecutableInternalRepresentationsKHR");
  VkShaderModuleCreateInfo smci = { VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, 0, 0, (size_t)n, code };
  VkShaderModule sm; CK(vkCreateShaderModule(dev, &smci, 0, &sm));
  // Set 0 as Dawn binds it: kinds in binding order, e.g. "sssu" (three storage buffers, a uniform).
  const char *kinds = argc > 3 ? argv[3] : "sssu";
  int nb = strlen(kinds);
  if (nb > 32) { fprintf(stderr, "at most 32 bindings\n"); return 2; }
  VkDescriptorSetLayoutBinding b[32];
  for (int i = 0; i < nb; i++) b[i] = (VkDescriptorSetLayoutBinding){ i, kinds[i] == 'u' ? VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, 0 };
  VkDescriptorSetLayoutCreateInfo dl = { VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, 0, 0, (uint32_t)nb, b };
  VkDescriptorSetLayout dsl; CK(vkCreateDescriptorSetLayout(dev, &dl, 0, &dsl));
  VkPipelineLayoutCreateInfo pl = { VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, 0, 0, 1, &dsl };
  VkPipelineLayout layout; CK(vkCreatePipelineLayout(dev, &pl, 0, &layout));
  VkComputePipelineCreateInfo cpci = { VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO, 0, VK_PIPELINE_CREATE_CAPTURE_STATISTICS_BIT_KHR | VK_PIPELINE_CREATE_CAPTURE_INTERNAL_REPRESENTATIONS_BIT_KHR,
    { VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, 0, 0, VK_SHADER_STAGE_COMPUTE_BIT, sm, entry, 0 }, layout };
  VkPipeline pipe; CK(vkCreateComputePipelines(dev, 0, 1, &cpci, 0, &pipe));
  VkPipelineInfoKHR pi = { VK_STRUCTURE_TYPE_PIPELINE_INFO_KHR, 0, pipe };
  uint32_t ne = 0; CK(getProps(dev, &pi, &ne, 0));
  VkPipelineExecutablePropertiesKHR ep[8]; for (uint32_t i = 0; i < 8; i++) ep[i] = (VkPipelineExecutablePropertiesKHR){ VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_PROPERTIES_KHR };
  if (ne > 8) ne = 8;
  CK(getProps(dev, &pi, &ne, ep));
  for (uint32_t e = 0; e < ne; e++) {
    printf("executable %u: %s (%s), subgroup %u\n", e, ep[e].name, ep[e].description, ep[e].subgroupSize);
    VkPipelineExecutableInfoKHR ei = { VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_INFO_KHR, 0, pipe, e };
    uint32_t ns = 0; CK(getStats(dev, &ei, &ns, 0));
    VkPipelineExecutableStatisticKHR *st = calloc(ns, sizeof *st);
    for (uint32_t i = 0; i < ns; i++) st[i].sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_STATISTIC_KHR;
    CK(getStats(dev, &ei, &ns, st));
    for (uint32_t i = 0; i < ns; i++) {
      printf("  %s: ", st[i].name);
      switch (st[i].format) {
        case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_BOOL32_KHR: printf("%s", st[i].value.b32 ? "true" : "false"); break;
        case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_INT64_KHR: printf("%lld", (long long)st[i].value.i64); break;
        case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_UINT64_KHR: printf("%llu", (unsigned long long)st[i].value.u64); break;
        default: printf("%g", st[i].value.f64);
      }
      printf("  (%s)\n", st[i].description);
    }
    // The driver's internal representations (names and sizes; text ones written to FILE.spv.E.N.txt).
    uint32_t nr = 0; CK(getReprs(dev, &ei, &nr, 0));
    VkPipelineExecutableInternalRepresentationKHR *ir = calloc(nr, sizeof *ir);
    for (uint32_t i = 0; i < nr; i++) ir[i].sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_INTERNAL_REPRESENTATION_KHR;
    CK(getReprs(dev, &ei, &nr, ir));
    for (uint32_t i = 0; i < nr; i++) { ir[i].pData = malloc(ir[i].dataSize + 1); }
    CK(getReprs(dev, &ei, &nr, ir));
    for (uint32_t i = 0; i < nr; i++) {
      printf("  representation %u: %s (%s), %zu bytes%s\n", i, ir[i].name, ir[i].description, ir[i].dataSize, ir[i].isText ? ", text" : "");
      char path[4096];
      snprintf(path, sizeof path, "%s.%u.%u.%s", argv[1], e, i, ir[i].isText ? "txt" : "bin");
      FILE *o = fopen(path, "wb");
      if (o) { fwrite(ir[i].pData, 1, ir[i].dataSize, o); fclose(o); }
    }
  }
  return 0;
}
