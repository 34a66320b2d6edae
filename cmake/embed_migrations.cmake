# Writes a C++ file holding every DIR/NNNN_name.sql, in order, as the function FUNCTION
# (default Migrations): src/store/migrations for SQLite, its postgresql/ for PostgreSQL.
# The glob is not recursive, so SQLite's list never takes in the postgresql/ folder.
if(NOT FUNCTION)
  set(FUNCTION Migrations)
endif()
file(GLOB files ${DIR}/*.sql)
list(SORT files)
file(RELATIVE_PATH from ${CMAKE_CURRENT_LIST_DIR}/.. ${DIR})
set(body "// Generated from ${from} by cmake/embed_migrations.cmake.\n#include \"store/migrations.h\"\nnamespace rt {\nconst std::vector<Migration>& ${FUNCTION}() {\n  static const std::vector<Migration> kAll = {\n")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" version ${name})
  # Without its leading zeros: 0008 is not a C++ number (octal).
  math(EXPR version "${version}")
  file(READ ${f} sql)
  if(sql MATCHES "\\)__sql__\"")
    message(FATAL_ERROR "${f} contains )__sql__\", which ends the raw string it is embedded in")
  endif()
  string(APPEND body "    {${version}, \"${name}\", R\"__sql__(${sql})__sql__\"},\n")
endforeach()
string(APPEND body "  };\n  return kAll;\n}\n}  // namespace rt\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
