# Compiles po/<lang>.po for each lang in LANGS (comma-separated) with msgfmt and
# writes a C++ file OUT that holds every .mo, for rt::EmbeddedCatalogs() (src/web/i18n.h).
# Run by cmake/catalogs.cmake: cmake -DOUT=... -DPO_DIR=... -DMSGFMT=... -DLANGS=en,fr -P this
string(REPLACE "," ";" langs "${LANGS}")
get_filename_component(mo_dir ${OUT} DIRECTORY)
set(mo_dir ${mo_dir}/mo)
file(MAKE_DIRECTORY ${mo_dir})
set(arrays "")
set(entries "")
set(index 0)
string(REPEAT "0x..," 16 line)  # 16 bytes a line
foreach(lang ${langs})
  set(po ${PO_DIR}/${lang}.po)
  set(mo ${mo_dir}/${lang}.mo)
  # --check: header and format strings; a broken catalogue fails the build.
  execute_process(COMMAND ${MSGFMT} --check -o ${mo} ${po}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "msgfmt failed on ${po}:\n${err}")
  endif()
  file(READ ${mo} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(REGEX REPLACE "(${line})" "\\1\n    " hex "${hex}")
  string(REPLACE "_" "-" tag ${lang})
  string(APPEND arrays "// ${lang}.po\nconst unsigned char kCatalog${index}[] = {\n    ${hex}};\n")
  string(APPEND entries "      {\"${tag}\", std::string(reinterpret_cast<const char*>(kCatalog${index}), sizeof(kCatalog${index}))},\n")
  math(EXPR index "${index} + 1")
endforeach()
set(body "// Generated from po/*.po by cmake/embed_catalogs.cmake.\n#include \"web/i18n.h\"\nnamespace rt {\nnamespace {\n${arrays}}  // namespace\nstd::vector<CatalogData> EmbeddedCatalogs() {\n  return {\n${entries}  };\n}\n}  // namespace rt\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
