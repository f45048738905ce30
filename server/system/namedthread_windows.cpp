// Thread names on Windows: SetThreadDescription(), in UTF-16 (the names Herald gives are ASCII).
// It is looked up rather than linked: Windows has it since 10 version 1607, and not every
// compiler's headers declare it; where it is missing, threads go unnamed.
#include "namedthread.h"

#include <windows.h>

#include <string>

void nameThisThread(const char *name)
{
    using SetThreadDescription = HRESULT(WINAPI *)(HANDLE, PCWSTR);
    static const auto setDescription = reinterpret_cast<SetThreadDescription>(
        reinterpret_cast<void *>(GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "SetThreadDescription")));
    if (!setDescription)
        return;
    std::wstring wide;
    for (const char *c = name; *c; ++c)
        wide.push_back(wchar_t(static_cast<unsigned char>(*c)));
    setDescription(GetCurrentThread(), wide.c_str());
}
