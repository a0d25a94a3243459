#pragma once

#include <QString>

// The versions `pgdesk --version` and About report: pgdesk's own (VERSION in the top-level
// CMakeLists.txt, the one place it is set) and those of the Qt and libpq it runs on. The last two
// are read at run time, not taken from the headers it was built with: after a distribution upgrade
// or in a bundle they are what a bug report needs.
class VersionInfo
{
public:
    static QString application(); // "0.1.0"
    static QString qt(); // qVersion(): the QtCore library loaded
    static QString libpq(); // PQlibVersion(): "15.10", or "9.6.24" before PostgreSQL 10
    static QString homepage(); // HOMEPAGE_URL in the top-level CMakeLists.txt

    // Three lines, each "NAME VERSION": pgdesk's first, so `pgdesk --version | head -n 1` is the
    // package version scripts compare.
    static QString text();
};
