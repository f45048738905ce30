#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

/// Who may do what on a Herald: the Host, Origin, bearer-token and cookie rules of the README's
/// "Limits and security". Plain code over a request's headers, with no sockets; HttpApi maps its
/// verdicts to HTTP statuses.
class AccessPolicy
{
public:
    /// The operator's settings that the rules read.
    struct Rules
    {
        QString token; ///< empty: publishing needs no token
        bool privateStreams = false; ///< reading needs the token too (only with a token)
        /// What the audience of a private Herald reads with: it opens the page, the streams and
        /// the client list, and is refused (403) wherever the token is needed. Unused unless
        /// private, and when it is the token itself.
        QString readToken;
        QStringList trustedOrigins; ///< besides Herald's own, origins whose pages may publish
        QStringList hostNames; ///< besides IP addresses, localhost and the machine's name
        QString machineName; ///< this machine's host name, also answered as NAME.local
    };

    /// What one request brings to be judged.
    struct Credentials
    {
        QByteArray host; ///< the Host header
        QByteArray origin; ///< the Origin header
        QByteArray authorization; ///< the Authorization header
        QByteArray cookie; ///< the Cookie header
        QByteArray queryToken; ///< the ?token= query value
        QHostAddress peer; ///< who is on the other end of the connection
        QByteArray publisherToken; ///< the ?publisher= value of a publisher link
        QByteArray scheme = "http"; ///< how the browser reached Herald (https behind a proxy)
        QByteArray fetchSite; ///< the Sec-Fetch-Site header: where, to the browser, the request came from
    };

    enum class Verdict {
        Allowed,
        Forbidden, ///< another site's page, a name Herald does not answer to, or a reader's token
        Unauthorized, ///< the token is missing or wrong
    };
    struct Decision
    {
        Verdict verdict = Verdict::Allowed;
        QString reason; ///< for the person refused: what is wrong and what to do
        /// A Set-Cookie value to send with the answer, if any. One is set only for a link that
        /// carried a secret, which the answer then takes out of the address (303 See Other).
        QByteArray setCookie;
        bool canPublish = false; ///< for the page: this browser may publish from it

        bool isAllowed() const { return verdict == Verdict::Allowed; }
    };

    AccessPolicy()
        : AccessPolicy(Rules())
    {}
    explicit AccessPolicy(Rules rules);
    const Rules &rules() const { return m_rules; }

    /// Publishing: a known Host, Herald's own or a trusted Origin, and then, without a token, a
    /// peer on this machine; with one, the bearer token or a publisher link's cookie. The
    /// reader token is refused (Forbidden): it reads and does not publish.
    Decision mayPublish(const Credentials &credentials) const;
    /// /say, disconnecting clients and retracting events: like publishing, but with the bearer
    /// token only (or ?token= where \a acceptQueryToken, for /say).
    Decision mayManage(const Credentials &credentials, bool acceptQueryToken) const;
    /// An event stream: on a private Herald, the token or the reader token as ?token= or in the
    /// Authorization header (Bearer, or Basic as ntfy's clients send it), or the reader's cookie.
    Decision mayListen(const Credentials &credentials) const;
    /// The page: on a private Herald, a link carrying the reader token (or the token) once lets
    /// a browser in for good through an HttpOnly cookie, which holds readerKey() and neither
    /// token; after that the cookie does. A publisher link (?publisher=publisherKey(token)) sets
    /// a cookie with which that browser may publish from the page, and read a private Herald.
    Decision mayOpenPage(const Credentials &credentials) const;
    /// The client list: on a private Herald, the token or the reader token as a bearer token,
    /// or the reader's cookie.
    Decision mayListClients(const Credentials &credentials) const;

    /// Why a publish or admin request with this Host may not be served (DNS rebinding), or empty.
    QString refusalForHost(QByteArrayView host) const;
    /// Why a publish or admin request from a page of \a origin may not be served (CSRF), or empty.
    /// Herald's own pages are those of \a scheme://\a host.
    QString refusalForOrigin(QByteArrayView origin, QByteArrayView host, QByteArrayView scheme = "http") const;

    /// What a publisher link carries instead of the token: a key made from it (HMAC-SHA256) that
    /// lets a browser publish and read, but not disconnect clients or retract events, and from
    /// which the token cannot be worked out. Empty for an empty token.
    static QByteArray publisherKey(QByteArrayView token);
    /// What the reader's cookie holds instead of a token: a key made from the reader token
    /// (HMAC-SHA256), so a new reader token makes every cookie given out before useless. Empty
    /// for an empty reader token.
    static QByteArray readerKey(QByteArrayView readToken);

    /// Compares without leaking, through timing, how much of a guess was right. An empty
    /// \a expected never matches.
    static bool equalInConstantTime(QByteArrayView given, QByteArrayView expected);
    /// Whether \a address is this machine's own (127.0.0.0/8 or ::1, also as ::ffff:127.x.y.z).
    static bool isLoopback(const QHostAddress &address);
    /// The value of the cookie \a name in a Cookie header, percent-decoded; empty when absent.
    static QByteArray cookieValue(QByteArrayView cookieHeader, QByteArrayView name);

    /// The name of the cookie that lets a browser read a private Herald.
    static constexpr QByteArrayView ReaderCookie = "herald_reader";
    /// The name of the cookie that lets a browser publish from the page.
    static constexpr QByteArrayView PublisherCookie = "herald_publisher";

private:
    /// The token of an Authorization header, if the request has one: "Bearer <token>", or Basic
    /// with the token as the password and any user name, as ntfy's clients send it.
    static std::optional<QByteArray> bearerToken(const Credentials &credentials);
    bool hasBearerToken(const Credentials &credentials) const;
    bool hasToken(QByteArrayView given) const;
    bool hasReadToken(QByteArrayView given) const;
    /// The checks every publish and admin request meets first: the Host and Origin rules, and
    /// without a token, a peer on this machine.
    std::optional<Decision> refusalOfPlace(const Credentials &credentials) const;
    bool hasReaderCookie(const Credentials &credentials) const;
    bool hasPublisherCookie(const Credentials &credentials) const;
    QByteArray cookieFor(QByteArrayView name, QByteArrayView key) const;
    bool readingIsOpen() const { return !m_rules.privateStreams || m_rules.token.isEmpty(); }

    Rules m_rules;
    QByteArray m_token;
    QByteArray m_readToken; ///< empty unless private, with a token, and not the token
    QByteArray m_readerKey; ///< what the reader's cookie holds
    QByteArray m_publisherKey;
};
