#pragma once

#include <QtGlobal>

#include <csignal>

#include <sys/resource.h>

/// While it lives, files of this process may grow to \a bytes and no further: a write past that
/// is refused (EFBIG), as a full disk refuses one, for any user.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(qint64 bytes)
    {
        std::signal(SIGXFSZ, SIG_IGN); // the refusal comes as an error, not as a signal
        getrlimit(RLIMIT_FSIZE, &m_saved);
        rlimit limit = m_saved;
        limit.rlim_cur = rlim_t(bytes);
        m_set = setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit() { lift(); }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;

    bool isSet() const { return m_set; }
    /// Files may grow as before again.
    void lift()
    {
        if (m_set)
            setrlimit(RLIMIT_FSIZE, &m_saved);
        m_set = false;
    }

private:
    rlimit m_saved{};
    bool m_set = false;
};
