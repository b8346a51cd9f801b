# Writes a C++ source defining `const char NAME[]` with the text of INPUT, so a
# data file (models/descriptions.yaml) ships inside the binary: nothing is
# looked up on disk at run time. Run with cmake -P; rewrites OUTPUT only when
# its contents change, so an unrelated rebuild recompiles nothing.
file(READ "${INPUT}" content)
set(delimiter "kvsim_embed")
string(FIND "${content}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${delimiter}\"")
endif()
set(text "// Generated from ${INPUT} by models/embed_text.cmake: do not edit.
namespace kvsim::models {
extern const char ${NAME}[];
const char ${NAME}[] = R\"${delimiter}(${content})${delimiter}\";
}  // namespace kvsim::models
")
file(WRITE "${OUTPUT}.tmp" "${text}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
