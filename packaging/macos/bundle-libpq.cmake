# Run at install time on macOS, after macdeployqt (packaging/CMakeLists.txt), with `app` and
# `libpq` set. The QPSQL plugin from a Qt installer links libpq by the path of the machine Qt was
# built on; point it at the copy inside the bundle, check nothing outside the bundle and the
# system is left, and sign the changed bundle again (ad hoc; a release signs with a real identity).
set(plugin "${app}/Contents/PlugIns/sqldrivers/libqsqlpsql.dylib")
if(NOT EXISTS "${plugin}")
    message(FATAL_ERROR "macdeployqt did not deploy the QPSQL plugin (${plugin})")
endif()
if(NOT EXISTS "${libpq}")
    message(FATAL_ERROR "libpq was not copied into the bundle (${libpq})")
endif()
execute_process(COMMAND install_name_tool -id "@executable_path/../Frameworks/libpq.5.dylib" "${libpq}"
    COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND otool -L "${plugin}" OUTPUT_VARIABLE links COMMAND_ERROR_IS_FATAL ANY)
string(REGEX MATCHALL "[^\t\n ]*libpq[.0-9]*dylib" libpq_links "${links}")
foreach(link IN LISTS libpq_links)
    if(NOT link MATCHES "^@executable_path/")
        execute_process(COMMAND install_name_tool -change "${link}" "@executable_path/../Frameworks/libpq.5.dylib" "${plugin}"
            COMMAND_ERROR_IS_FATAL ANY)
    endif()
endforeach()
file(GLOB_RECURSE binaries "${app}/Contents/Frameworks/*.dylib" "${app}/Contents/PlugIns/*.dylib")
foreach(binary IN LISTS binaries ITEMS "${app}/Contents/MacOS/pgdesk")
    execute_process(COMMAND otool -L "${binary}" OUTPUT_VARIABLE links COMMAND_ERROR_IS_FATAL ANY)
    string(REGEX MATCHALL "\n[\t ]+(/opt/homebrew|/usr/local|/Applications)[^ ]*" outside "${links}")
    if(outside)
        message(FATAL_ERROR "${binary} still links outside the bundle:${outside}")
    endif()
endforeach()
execute_process(COMMAND codesign --force --deep --sign - "${app}" COMMAND_ERROR_IS_FATAL ANY)
