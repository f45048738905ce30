// Thread names on Linux: pthread_setname_np() on any thread, here the calling one.
#include "namedthread.h"

#include <pthread.h>

void nameThisThread(const char *name)
{
    pthread_setname_np(pthread_self(), name);
}
