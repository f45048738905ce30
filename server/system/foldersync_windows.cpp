// Names on Windows. A folder cannot be synced as a file is: NTFS records a change of name in its
// own log, which goes to the disk with the next sync of a file on the volume (the journal's
// follows every change Herald makes), so there is nothing to do here. A file is replaced with
// MoveFileExW(), told to replace its target (rename() there refuses one that exists) and not to
// return before the change is on the disk.
#include "foldersync.h"

#include "systemerror.h"

#include <windows.h>

std::string syncFolder(const std::filesystem::path &)
{
    return std::string();
}

std::string replaceFile(const std::filesystem::path &part, const std::filesystem::path &target)
{
    return MoveFileExW(part.c_str(), target.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
        ? std::string()
        : lastSystemError();
}
