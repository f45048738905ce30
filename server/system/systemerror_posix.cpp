#include "systemerror.h"

#include <cerrno>
#include <cstring>

std::string lastSystemError()
{
    return std::strerror(errno);
}
