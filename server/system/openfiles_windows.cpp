// The open-file limit on Windows, in place of openfiles_posix.cpp: a socket, which is what every
// stream holds, counts against no per-process limit there (Winsock's handles are bounded by memory), and
// Qt opens files as Windows handles, which count against none either. Nothing to raise.
#include "openfiles.h"

#include <climits>

OpenFileLimit raiseOpenFileLimit()
{
    OpenFileLimit result;
    result.before = result.now = openFileLimit();
    return result;
}

long openFileLimit()
{
    return LONG_MAX;
}
