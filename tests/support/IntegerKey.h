#pragma once

#include "table/RowKey.h"

#include <optional>

// For suites on integer-keyed tables (the tutorial's BIGSERIAL id): a row's key as its number, -1
// when the row has none (a new row, or no row there) or the key is not an integer.
inline qint64 integerKey(const std::optional<RowKey>& key)
{
    return key ? key->integer().value_or(-1) : -1;
}
