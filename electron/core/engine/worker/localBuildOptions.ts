/**
 * The CMake options of Hearth's own build: for this CPU (GGML_NATIVE), and, on x64, without AMX
 * tile instructions, which fault on some virtual machines that announce them once threads live
 * across graphs (as they do in this build: see patches/). They also name the build's folder
 * among node-llama-cpp's local builds, so it never stands in for the prebuilt binary unasked.
 */
export function localBuildCmakeOptions(arch: string = process.arch): Record<string, string> {
  if (arch !== "x64") return { GGML_NATIVE: "ON" };
  // The release flags, as cmake-js replaces CMAKE_<LANG>_FLAGS; an explicit -mno- wins over -march=native.
  const flags = "-O3 -DNDEBUG -mno-amx-tile -mno-amx-int8 -mno-amx-bf16";
  return { GGML_NATIVE: "ON", CMAKE_C_FLAGS_RELEASE: flags, CMAKE_CXX_FLAGS_RELEASE: flags };
}
