// Thread names on macOS: its pthread_setname_np() names the calling thread, and only it.
#include "namedthread.h"

#include <pthread.h>

void nameThisThread(const char *name)
{
    pthread_setname_np(name);
}
