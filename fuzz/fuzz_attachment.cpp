/// Builds the description of an uploaded file from what a publisher chooses (the Host header it
/// sent, the file's name) and checks that an attachment that passes its rules names a file Herald
/// keeps by the id it was given, and that the Content-Disposition made from the name is one header
/// value: no line break or control character can reach the answer's head.
#include "attachment.h"
#include "attachmentanswers.h"
#include "fuzzcheck.h"
#include "fuzzinput.h"

#include <QJsonObject>

// Input: a selector byte (HTTPS or not), the Host header NUL, the file's name.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const bool encrypted = data[0] & 1;
    QByteArrayView rest(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const QByteArray host = takeUntilNul(&rest).toByteArray();
    const QString name = QString::fromUtf8(rest);

    static const QString id = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWX");
    Attachment attachment;
    attachment.name = name;
    attachment.type = QStringLiteral("image/png");
    attachment.size = 1;
    attachment.expiresAt = 1'800'000'000;
    attachment.url
        = fileBaseUrl(host, encrypted, {}) + QLatin1String(Attachment::FilePath) + id + QStringLiteral(".png");
    if (attachment.validationError().isEmpty()) {
        require(Attachment::nameError(name).isEmpty());
        require(attachment.fileId() == id);
        require(Attachment::fromJson(attachment.toJson()) == attachment);
    }
    if (Attachment::nameError(name).isEmpty()) {
        const QByteArray disposition = contentDisposition("attachment", name);
        for (const char c : disposition)
            require(uchar(c) >= 0x20 && uchar(c) < 0x7f);
    }
    return 0;
}
