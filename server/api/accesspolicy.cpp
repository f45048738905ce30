#include "accesspolicy.h"

#include <QMessageAuthenticationCode>

namespace {

constexpr int CookieSeconds = 30 * 24 * 3600;

AccessPolicy::Decision refuse(AccessPolicy::Verdict verdict, const QString &reason)
{
    return {verdict, reason, {}};
}

AccessPolicy::Decision needsToken()
{
    return refuse(AccessPolicy::Verdict::Unauthorized,
                  QStringLiteral("this Herald needs its token: send \"Authorization: Bearer <token>\""));
}

AccessPolicy::Decision readerMayNotAct()
{
    return refuse(AccessPolicy::Verdict::Forbidden,
                  QStringLiteral("that token reads this Herald and does not publish, disconnect clients or retract "
                                 "events: those need the operator's token"));
}

/// The reader token of \a rules when it is in force: only a private Herald with a token has
/// one, and never the token itself, or a reader could do what the operator does.
QByteArray readTokenOf(const AccessPolicy::Rules &rules)
{
    if (!rules.privateStreams || rules.token.isEmpty() || rules.readToken == rules.token)
        return {};
    return rules.readToken.toUtf8();
}

} // namespace

AccessPolicy::AccessPolicy(Rules rules)
    : m_rules(std::move(rules))
    , m_token(m_rules.token.toUtf8())
    , m_readToken(readTokenOf(m_rules))
    // Without a reader token of its own (the service always gives a private Herald one), the
    // cookie is made from the token: still a key, never the token.
    , m_readerKey(readerKey(m_readToken.isEmpty() ? m_token : m_readToken))
    , m_publisherKey(publisherKey(m_token))
{}

QByteArray AccessPolicy::publisherKey(QByteArrayView token)
{
    if (token.isEmpty())
        return {};
    return QMessageAuthenticationCode::hash("herald publisher link", token.toByteArray(), QCryptographicHash::Sha256)
        .toHex();
}

QByteArray AccessPolicy::readerKey(QByteArrayView readToken)
{
    if (readToken.isEmpty())
        return {};
    return QMessageAuthenticationCode::hash("herald reader link", readToken.toByteArray(), QCryptographicHash::Sha256)
        .toHex();
}

AccessPolicy::Decision AccessPolicy::mayPublish(const Credentials &credentials) const
{
    if (const std::optional<Decision> refused = refusalOfPlace(credentials))
        return *refused;
    if (m_token.isEmpty() || hasBearerToken(credentials) || hasPublisherCookie(credentials))
        return {};
    if (const std::optional<QByteArray> bearer = bearerToken(credentials); bearer && hasReadToken(*bearer))
        return readerMayNotAct();
    return needsToken();
}

AccessPolicy::Decision AccessPolicy::mayManage(const Credentials &credentials, bool acceptQueryToken) const
{
    if (const std::optional<Decision> refused = refusalOfPlace(credentials))
        return *refused;
    if (m_token.isEmpty())
        return {};
    // A bearer token that is given but wrong is not rescued by a query token.
    if (const std::optional<QByteArray> bearer = bearerToken(credentials)) {
        if (hasToken(*bearer))
            return {};
        return hasReadToken(*bearer) ? readerMayNotAct() : needsToken();
    }
    if (acceptQueryToken && hasToken(credentials.queryToken))
        return {};
    if (acceptQueryToken && hasReadToken(credentials.queryToken))
        return readerMayNotAct();
    return needsToken();
}

std::optional<AccessPolicy::Decision> AccessPolicy::refusalOfPlace(const Credentials &credentials) const
{
    QString refusal = refusalForHost(credentials.host);
    if (refusal.isEmpty())
        refusal = refusalForOrigin(credentials.origin, credentials.host, credentials.scheme);
    if (!refusal.isEmpty())
        return refuse(Verdict::Forbidden, refusal);
    // An image or a link on another site's page sends no Origin, but the browser says where
    // the request comes from. (Without this, any page open on this computer could /say.)
    if (credentials.origin.isEmpty()
        && (credentials.fetchSite == "cross-site" || credentials.fetchSite == "same-site")) {
        return refuse(Verdict::Forbidden,
                      QStringLiteral("a page of another site may not publish, disconnect clients or "
                                     "retract events here"));
    }
    // Without a token, anyone on the Wi-Fi would be the operator.
    if (m_token.isEmpty() && !isLoopback(credentials.peer)) {
        return refuse(Verdict::Forbidden,
                      QStringLiteral("without a token, only this computer may publish, disconnect clients or "
                                     "retract events; give Herald a token (--token, or in Settings) and send it as "
                                     "\"Authorization: Bearer <token>\""));
    }
    return std::nullopt;
}

AccessPolicy::Decision AccessPolicy::mayListen(const Credentials &credentials) const
{
    if (readingIsOpen() || hasToken(credentials.queryToken) || hasReadToken(credentials.queryToken)
        || hasReaderCookie(credentials))
        return {};
    // A client that can send headers (curl, ntfy's apps) may give either token as Bearer or Basic.
    if (const std::optional<QByteArray> token = bearerToken(credentials);
        token && (hasToken(*token) || hasReadToken(*token)))
        return {};
    return refuse(Verdict::Unauthorized,
                  QStringLiteral("this Herald is private: give its reader token as "
                                 "?token=<token>, or open /?token=<token> once in this browser"));
}

AccessPolicy::Decision AccessPolicy::mayOpenPage(const Credentials &credentials) const
{
    if (!credentials.publisherToken.isEmpty()) {
        if (!equalInConstantTime(credentials.publisherToken, m_publisherKey))
            return refuse(Verdict::Unauthorized,
                          QStringLiteral("that publisher link is not this Herald's: ask the "
                                         "operator for a new one"));
        // The browser keeps the right to publish from here on, out of reach of scripts and other sites.
        Decision decision;
        decision.setCookie = cookieFor(PublisherCookie, credentials.publisherToken);
        decision.canPublish = true;
        return decision;
    }
    Decision decision;
    decision.canPublish = !m_token.isEmpty() && hasPublisherCookie(credentials);
    if (readingIsOpen())
        return decision;
    if (hasToken(credentials.queryToken) || hasReadToken(credentials.queryToken)) {
        // The browser keeps a key made from the reader token, whichever token the link carried:
        // the operator's token never lands in a cookie.
        decision.setCookie = cookieFor(ReaderCookie, m_readerKey);
        return decision;
    }
    if (hasReaderCookie(credentials))
        return decision;
    return refuse(Verdict::Unauthorized,
                  credentials.queryToken.isEmpty()
                      ? QStringLiteral("this Herald is private: open the link with ?token=<token> once in this browser")
                      : QStringLiteral("this Herald is private, and that token is not its reader token"));
}

AccessPolicy::Decision AccessPolicy::mayListClients(const Credentials &credentials) const
{
    const std::optional<QByteArray> bearer = bearerToken(credentials);
    if (readingIsOpen() || hasReaderCookie(credentials) || (bearer && (hasToken(*bearer) || hasReadToken(*bearer))))
        return {};
    return needsToken();
}

bool AccessPolicy::isLoopback(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).isLoopback() : address.isLoopback();
}

QString AccessPolicy::refusalForHost(QByteArrayView host) const
{
    // A page on a rebinding DNS name reaches Herald with that name as its Host; a name Herald
    // does not know is refused, so such a page cannot publish or disconnect clients.
    if (host.isEmpty())
        return {};
    QByteArray name = host.toByteArray().toLower();
    if (name.startsWith('[')) {
        const qsizetype close = name.indexOf(']');
        if (close > 0
            && QHostAddress(QString::fromLatin1(name.mid(1, close - 1))).protocol() == QAbstractSocket::IPv6Protocol)
            return {};
        return QStringLiteral("the Host header is malformed");
    }
    const qsizetype colon = name.lastIndexOf(':');
    if (colon >= 0)
        name.truncate(colon);
    if (name.endsWith('.'))
        name.chop(1);
    const QString text = QString::fromLatin1(name);
    if (!QHostAddress(text).isNull() || text == QLatin1String("localhost")
        || text.endsWith(QLatin1String(".localhost")))
        return {};
    const QString machine = m_rules.machineName.toLower();
    if (!machine.isEmpty() && (text == machine || text == machine + QLatin1String(".local")))
        return {};
    for (const QString &allowed : m_rules.hostNames) {
        if (text.compare(allowed, Qt::CaseInsensitive) == 0)
            return {};
    }
    return QStringLiteral("Herald does not answer to the name %1 here; add it with --host-name").arg(text);
}

QString AccessPolicy::refusalForOrigin(QByteArrayView origin, QByteArrayView host, QByteArrayView scheme) const
{
    // Browsers send Origin on cross-site POSTs and DELETEs; curl and scripts send none.
    if (origin.isEmpty())
        return {};
    const QString originText = QString::fromLatin1(origin);
    if (!host.isEmpty()
        && originText.compare(QString::fromLatin1(scheme) + QLatin1String("://") + QString::fromLatin1(host),
                              Qt::CaseInsensitive)
            == 0)
        return {};
    for (const QString &trusted : m_rules.trustedOrigins) {
        if (originText.compare(trusted, Qt::CaseInsensitive) == 0)
            return {};
    }
    return QStringLiteral("pages from %1 may not publish or manage clients here; add the origin with --trusted-origin")
        .arg(originText.left(200));
}

bool AccessPolicy::equalInConstantTime(QByteArrayView given, QByteArrayView expected)
{
    unsigned char difference = given.size() == expected.size() ? 0 : 1;
    const qsizetype length = qMax(given.size(), expected.size());
    for (qsizetype i = 0; i < length; ++i) {
        const unsigned char x = i < given.size() ? uchar(given.at(i)) : 0;
        const unsigned char y = i < expected.size() ? uchar(expected.at(i)) : 0;
        difference |= x ^ y;
    }
    return difference == 0 && !expected.isEmpty();
}

QByteArray AccessPolicy::cookieValue(QByteArrayView cookieHeader, QByteArrayView name)
{
    for (const QByteArray &part : cookieHeader.toByteArray().split(';')) {
        const QByteArray pair = part.trimmed();
        if (pair.size() > name.size() && pair.startsWith(name) && pair.at(name.size()) == '=')
            return QByteArray::fromPercentEncoding(pair.mid(name.size() + 1));
    }
    return {};
}

std::optional<QByteArray> AccessPolicy::bearerToken(const Credentials &credentials)
{
    const QByteArray authorization = credentials.authorization.trimmed();
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        return authorization.mid(7).trimmed();
    // As ntfy's clients send it: Basic, with the token as the password and any user name.
    if (authorization.size() > 6 && authorization.left(6).toLower() == "basic ") {
        const auto decoded
            = QByteArray::fromBase64Encoding(authorization.mid(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        const qsizetype colon = decoded.decoded.indexOf(':');
        if (decoded && colon >= 0)
            return decoded.decoded.mid(colon + 1);
    }
    return std::nullopt;
}

bool AccessPolicy::hasBearerToken(const Credentials &credentials) const
{
    const std::optional<QByteArray> token = bearerToken(credentials);
    return token && hasToken(*token);
}

bool AccessPolicy::hasToken(QByteArrayView given) const
{
    return !given.isEmpty() && equalInConstantTime(given, m_token);
}

bool AccessPolicy::hasReadToken(QByteArrayView given) const
{
    return !given.isEmpty() && equalInConstantTime(given, m_readToken);
}

bool AccessPolicy::hasReaderCookie(const Credentials &credentials) const
{
    // A publisher may read too.
    return equalInConstantTime(cookieValue(credentials.cookie, ReaderCookie), m_readerKey)
        || hasPublisherCookie(credentials);
}

bool AccessPolicy::hasPublisherCookie(const Credentials &credentials) const
{
    return equalInConstantTime(cookieValue(credentials.cookie, PublisherCookie), m_publisherKey);
}

QByteArray AccessPolicy::cookieFor(QByteArrayView name, QByteArrayView key) const
{
    return name.toByteArray() + '=' + key.toByteArray().toPercentEncoding()
        + "; Path=/; Max-Age=" + QByteArray::number(CookieSeconds) + "; HttpOnly; SameSite=Strict";
}
