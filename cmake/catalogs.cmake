# Message catalogues of the web UI (src/web/i18n.h): every po/<lang>.po is compiled
# with msgfmt and embedded in roundtable_core, so a new po file needs no code change.
# Included from CMakeLists.txt after add_library(roundtable_core ...).
find_program(MSGFMT_EXECUTABLE msgfmt)
if(NOT MSGFMT_EXECUTABLE)
  message(FATAL_ERROR "msgfmt not found: install the Debian package 'gettext'")
endif()

file(GLOB RT_PO_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/*.po)
list(SORT RT_PO_FILES)
string(REPEAT "[A-Za-z]?" 7 rt_more_alpha)
string(REPEAT "[A-Za-z0-9]?" 7 rt_more_alnum)
set(RT_LANGS "")
set(rt_keys "")
foreach(po ${RT_PO_FILES})
  get_filename_component(lang ${po} NAME_WLE)
  # A language tag, as rt::Catalogs accepts: pt_BR.po and pt-BR.po are "pt-BR".
  string(LENGTH "${lang}" rt_lang_length)
  if(rt_lang_length GREATER 35 OR NOT lang MATCHES "^[A-Za-z]${rt_more_alpha}([-_][A-Za-z0-9]${rt_more_alnum})*$")
    message(FATAL_ERROR "${po}: the file name must be a language tag, like fr.po or pt_BR.po")
  endif()
  string(TOLOWER "${lang}" rt_key)
  string(REPLACE "_" "-" rt_key "${rt_key}")
  if(rt_key IN_LIST rt_keys)
    message(FATAL_ERROR "${po}: a second catalogue for the language ${rt_key}")
  endif()
  list(APPEND rt_keys ${rt_key})
  list(APPEND RT_LANGS ${lang})
endforeach()
# The language list is on the command line, so adding or removing a po file
# reruns the command even when the new file is older than the output.
list(JOIN RT_LANGS "," RT_LANGS_ARG)

set(RT_CATALOGS_CC ${CMAKE_BINARY_DIR}/generated/catalogs/catalogs.cc)
add_custom_command(
  OUTPUT ${RT_CATALOGS_CC}
  COMMAND ${CMAKE_COMMAND} -DOUT=${RT_CATALOGS_CC} -DPO_DIR=${CMAKE_SOURCE_DIR}/po
          -DMSGFMT=${MSGFMT_EXECUTABLE} -DLANGS=${RT_LANGS_ARG}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_catalogs.cmake
  DEPENDS ${RT_PO_FILES} ${CMAKE_CURRENT_LIST_DIR}/embed_catalogs.cmake
  COMMENT "Compiling message catalogues: ${RT_LANGS_ARG}"
  VERBATIM)
target_sources(roundtable_core PRIVATE ${RT_CATALOGS_CC})
