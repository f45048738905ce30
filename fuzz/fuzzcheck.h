#pragma once

#include <cstdlib>

/// Stops the fuzzer, which then saves the input, when a property the fuzzer checks does not hold.
inline void require(bool condition)
{
    if (!condition)
        std::abort();
}
