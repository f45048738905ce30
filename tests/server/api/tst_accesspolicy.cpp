#include "accesspolicy.h"

#include <QTest>

using Verdict = AccessPolicy::Verdict;

namespace {

const QString Token = QStringLiteral("s3cret-T0ken");
const QString ReadToken = QStringLiteral("r3ader-T0ken");
const QString Machine = QStringLiteral("studio-pc");

AccessPolicy policy(const QString &token = QString(), bool privateStreams = false, const QString &readToken = QString())
{
    return AccessPolicy({token,
                         privateStreams,
                         readToken,
                         {QStringLiteral("https://board.example")},
                         {QStringLiteral("herald.lan")},
                         Machine});
}

/// A request from curl on this machine: no Origin, the Host it was reached at.
AccessPolicy::Credentials fromCurl(const QByteArray &authorization = QByteArray())
{
    AccessPolicy::Credentials credentials;
    credentials.host = "127.0.0.1:8080";
    credentials.authorization = authorization;
    credentials.peer = QHostAddress::LocalHost;
    return credentials;
}

/// A request from another device on the LAN.
AccessPolicy::Credentials fromLan(const QByteArray &authorization = QByteArray())
{
    AccessPolicy::Credentials credentials = fromCurl(authorization);
    credentials.host = "192.168.1.20:8080";
    credentials.peer = QHostAddress(QStringLiteral("192.168.1.31"));
    return credentials;
}

/// A private Herald with its token and its reader token.
AccessPolicy privateHerald(const QString &readToken = ReadToken)
{
    return policy(Token, true, readToken);
}

/// The Cookie header a browser sends back after \a decision set its cookie.
QByteArray sentBack(const AccessPolicy::Decision &decision)
{
    return decision.setCookie.left(decision.setCookie.indexOf(';'));
}

/// A browser's request for the page with ?token=\a token.
AccessPolicy::Credentials withQueryToken(const QString &token)
{
    AccessPolicy::Credentials credentials = fromLan();
    credentials.queryToken = token.toUtf8();
    return credentials;
}

} // namespace

Q_DECLARE_METATYPE(AccessPolicy::Verdict)

/// The rules of the README's "Limits and security", one by one, without any socket.
class tst_AccessPolicy : public QObject
{
    Q_OBJECT

private slots:
    void withoutATokenThisComputerNeedsNone();
    void withATokenPublishingNeedsTheBearerToken_data();
    void withATokenPublishingNeedsTheBearerToken();
    void sayAlsoTakesTheTokenInItsQuery();
    void tokensAreComparedWholeAndNeverEmpty_data();
    void tokensAreComparedWholeAndNeverEmpty();
    void foreignOriginsMayNotPublish_data();
    void foreignOriginsMayNotPublish();
    void onlyKnownHostNamesMayPublish_data();
    void onlyKnownHostNamesMayPublish();
    void aForeignPageIsRefusedEvenWithTheToken();
    void anotherSitesImageOrLinkMayNotPublish_data();
    void anotherSitesImageOrLinkMayNotPublish();
    void readingIsOpenUnlessPrivate();
    void aPrivateStreamNeedsTheTokenOrTheCookie();
    void aPrivateLinkLetsABrowserInThroughACookie();
    void aPrivateClientListNeedsTheTokenOrTheCookie();
    void refusalsNeverRepeatTheToken();
    void cookiesAreReadByTheirWholeName();
    void withoutATokenOnlyThisComputerMayPublish_data();
    void withoutATokenOnlyThisComputerMayPublish();
    void withATokenAnyDeviceMayPublishWithIt();
    void aPublisherLinkLetsThatBrowserPublishAndNothingMore();
    void aPublisherMayReadAPrivateHerald();
    void theReaderTokenReadsAndTheTokenStillDoes();
    void theReaderTokenNeitherPublishesNorManages_data();
    void theReaderTokenNeitherPublishesNorManages();
    void theReadersCookieHoldsNeitherToken();
    void aNewReaderTokenMakesOldCookiesUseless();
    void theReaderTokenIsUnusedUnlessPrivateAndNeverTheToken();
};

void tst_AccessPolicy::withoutATokenThisComputerNeedsNone()
{
    QVERIFY(policy().mayPublish(fromCurl()).isAllowed());
    QVERIFY(policy().mayManage(fromCurl(), false).isAllowed());
    QVERIFY(policy().mayManage(fromCurl("Bearer whatever"), false).isAllowed());
}

void tst_AccessPolicy::withATokenPublishingNeedsTheBearerToken_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<Verdict>("verdict");
    QTest::newRow("right token") << "Bearer " + Token.toUtf8() << Verdict::Allowed;
    QTest::newRow("scheme in any case, spaces around") << "  bEaReR   " + Token.toUtf8() + "  " << Verdict::Allowed;
    QTest::newRow("no header") << QByteArray() << Verdict::Unauthorized;
    QTest::newRow("wrong token") << QByteArray("Bearer guess") << Verdict::Unauthorized;
    QTest::newRow("token with a tail") << "Bearer " + Token.toUtf8() + "x" << Verdict::Unauthorized;
    QTest::newRow("basic scheme") << "Basic " + Token.toUtf8() << Verdict::Unauthorized;
    QTest::newRow("bearer without token") << QByteArray("Bearer ") << Verdict::Unauthorized;
    // As ntfy's clients send it: Basic, the token as the password, any user name.
    QTest::newRow("basic, the token as password")
        << "Basic " + ("anyone:" + Token.toUtf8()).toBase64() << Verdict::Allowed;
    QTest::newRow("basic, no user name") << "basic " + (":" + Token.toUtf8()).toBase64() << Verdict::Allowed;
    QTest::newRow("basic, a wrong password")
        << "Basic " + QByteArray("anyone:guess").toBase64() << Verdict::Unauthorized;
    QTest::newRow("basic, the token as user name")
        << "Basic " + (Token.toUtf8() + ":").toBase64() << Verdict::Unauthorized;
    QTest::newRow("basic, no colon") << "Basic " + Token.toUtf8().toBase64() << Verdict::Unauthorized;
    QTest::newRow("basic, not Base64") << QByteArray("Basic !!!") << Verdict::Unauthorized;
}

void tst_AccessPolicy::withATokenPublishingNeedsTheBearerToken()
{
    QFETCH(QByteArray, authorization);
    QFETCH(Verdict, verdict);
    const AccessPolicy::Decision decision = policy(Token).mayManage(fromCurl(authorization), false);
    QCOMPARE(decision.verdict, verdict);
    QCOMPARE(decision.reason.isEmpty(), verdict == Verdict::Allowed);
    QCOMPARE(policy(Token).mayPublish(fromCurl(authorization)).verdict, verdict);
    // A query token is for /say only.
    AccessPolicy::Credentials withQuery = fromCurl(authorization);
    withQuery.queryToken = Token.toUtf8();
    QCOMPARE(policy(Token).mayManage(withQuery, false).verdict, verdict);
}

void tst_AccessPolicy::sayAlsoTakesTheTokenInItsQuery()
{
    const AccessPolicy herald = policy(Token);
    AccessPolicy::Credentials credentials = fromCurl();
    credentials.queryToken = Token.toUtf8();
    QVERIFY(herald.mayManage(credentials, true).isAllowed());
    credentials.queryToken = "guess";
    QCOMPARE(herald.mayManage(credentials, true).verdict, Verdict::Unauthorized);
    // A bearer token that is given and wrong is not rescued by a right one in the query.
    credentials = fromCurl("Bearer guess");
    credentials.queryToken = Token.toUtf8();
    QCOMPARE(herald.mayManage(credentials, true).verdict, Verdict::Unauthorized);
}

void tst_AccessPolicy::tokensAreComparedWholeAndNeverEmpty_data()
{
    QTest::addColumn<QByteArray>("given");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("equal");
    QTest::newRow("same") << QByteArray("abc") << QByteArray("abc") << true;
    QTest::newRow("prefix") << QByteArray("ab") << QByteArray("abc") << false;
    QTest::newRow("longer") << QByteArray("abcd") << QByteArray("abc") << false;
    QTest::newRow("last byte differs") << QByteArray("abd") << QByteArray("abc") << false;
    QTest::newRow("first byte differs") << QByteArray("xbc") << QByteArray("abc") << false;
    QTest::newRow("case") << QByteArray("ABC") << QByteArray("abc") << false;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << false;
    QTest::newRow("empty given") << QByteArray() << QByteArray("abc") << false;
    QTest::newRow("NUL inside") << QByteArray("ab\0c", 4) << QByteArray("ab\0c", 4) << true;
}

void tst_AccessPolicy::tokensAreComparedWholeAndNeverEmpty()
{
    QFETCH(QByteArray, given);
    QFETCH(QByteArray, expected);
    QFETCH(bool, equal);
    QCOMPARE(AccessPolicy::equalInConstantTime(given, expected), equal);
}

void tst_AccessPolicy::foreignOriginsMayNotPublish_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<Verdict>("verdict");
    QTest::newRow("no origin (curl, scripts)") << QByteArray() << QByteArray("192.168.1.20:8080") << Verdict::Allowed;
    QTest::newRow("Herald's own page") << QByteArray("http://192.168.1.20:8080") << QByteArray("192.168.1.20:8080")
                                       << Verdict::Allowed;
    QTest::newRow("its own page, other case")
        << QByteArray("HTTP://Studio-PC:8080") << QByteArray("studio-pc:8080") << Verdict::Allowed;
    QTest::newRow("a trusted origin") << QByteArray("https://board.example") << QByteArray("127.0.0.1:8080")
                                      << Verdict::Allowed;
    QTest::newRow("another site") << QByteArray("https://evil.example") << QByteArray("127.0.0.1:8080")
                                  << Verdict::Forbidden;
    QTest::newRow("another port of the same host")
        << QByteArray("http://127.0.0.1:9999") << QByteArray("127.0.0.1:8080") << Verdict::Forbidden;
    QTest::newRow("https for an http Herald")
        << QByteArray("https://127.0.0.1:8080") << QByteArray("127.0.0.1:8080") << Verdict::Forbidden;
    QTest::newRow("an opaque origin") << QByteArray("null") << QByteArray("127.0.0.1:8080") << Verdict::Forbidden;
}

void tst_AccessPolicy::foreignOriginsMayNotPublish()
{
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, host);
    QFETCH(Verdict, verdict);
    AccessPolicy::Credentials credentials = fromCurl();
    credentials.origin = origin;
    credentials.host = host;
    const AccessPolicy::Decision decision = policy().mayManage(credentials, false);
    QCOMPARE(decision.verdict, verdict);
    if (verdict == Verdict::Forbidden)
        QVERIFY2(decision.reason.contains(u"--trusted-origin"_qs), qPrintable(decision.reason));
}

void tst_AccessPolicy::onlyKnownHostNamesMayPublish_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<Verdict>("verdict");
    QTest::newRow("no Host (HTTP/1.0)") << QByteArray() << Verdict::Allowed;
    QTest::newRow("IPv4 address") << QByteArray("192.168.1.20") << Verdict::Allowed;
    QTest::newRow("IPv4 address and port") << QByteArray("10.0.0.5:8080") << Verdict::Allowed;
    QTest::newRow("IPv6 address") << QByteArray("[fe80::1]:8080") << Verdict::Allowed;
    QTest::newRow("localhost") << QByteArray("localhost:8080") << Verdict::Allowed;
    QTest::newRow("a name under localhost") << QByteArray("app.localhost") << Verdict::Allowed;
    QTest::newRow("this machine") << QByteArray("Studio-PC:8080") << Verdict::Allowed;
    QTest::newRow("this machine on mDNS") << QByteArray("studio-pc.local") << Verdict::Allowed;
    QTest::newRow("a trailing dot") << QByteArray("studio-pc.local.:8080") << Verdict::Allowed;
    QTest::newRow("a --host-name") << QByteArray("HERALD.lan:8080") << Verdict::Allowed;
    QTest::newRow("a rebinding name") << QByteArray("attacker.example:8080") << Verdict::Forbidden;
    QTest::newRow("another machine") << QByteArray("other-pc.local") << Verdict::Forbidden;
    QTest::newRow("a name ending like a known one") << QByteArray("evil-herald.lan") << Verdict::Forbidden;
    QTest::newRow("an unclosed bracket") << QByteArray("[fe80::1") << Verdict::Forbidden;
    QTest::newRow("a name in brackets") << QByteArray("[studio-pc]") << Verdict::Forbidden;
}

void tst_AccessPolicy::onlyKnownHostNamesMayPublish()
{
    QFETCH(QByteArray, host);
    QFETCH(Verdict, verdict);
    AccessPolicy::Credentials credentials = fromCurl();
    credentials.host = host;
    const AccessPolicy::Decision decision = policy().mayManage(credentials, false);
    QCOMPARE(decision.verdict, verdict);
    QCOMPARE(decision.reason.isEmpty(), verdict == Verdict::Allowed);
}

void tst_AccessPolicy::aForeignPageIsRefusedEvenWithTheToken()
{
    AccessPolicy::Credentials credentials = fromCurl("Bearer " + Token.toUtf8());
    credentials.origin = "https://evil.example";
    QCOMPARE(policy(Token).mayManage(credentials, false).verdict, Verdict::Forbidden);
    credentials = fromCurl("Bearer " + Token.toUtf8());
    credentials.host = "attacker.example";
    QCOMPARE(policy(Token).mayManage(credentials, false).verdict, Verdict::Forbidden);
}

void tst_AccessPolicy::anotherSitesImageOrLinkMayNotPublish_data()
{
    // <img src="http://127.0.0.1:8080/say?msg=..."> on any page open on this computer sends no
    // Origin; the browser's Sec-Fetch-Site says where it came from.
    QTest::addColumn<QByteArray>("fetchSite");
    QTest::addColumn<Verdict>("verdict");
    QTest::newRow("another site") << QByteArray("cross-site") << Verdict::Forbidden;
    QTest::newRow("another port or subdomain") << QByteArray("same-site") << Verdict::Forbidden;
    QTest::newRow("Herald's own page") << QByteArray("same-origin") << Verdict::Allowed;
    QTest::newRow("typed into the address bar") << QByteArray("none") << Verdict::Allowed;
    QTest::newRow("curl, or an older browser") << QByteArray() << Verdict::Allowed;
}

void tst_AccessPolicy::anotherSitesImageOrLinkMayNotPublish()
{
    QFETCH(QByteArray, fetchSite);
    QFETCH(Verdict, verdict);
    AccessPolicy::Credentials credentials = fromCurl();
    credentials.fetchSite = fetchSite;
    QCOMPARE(policy().mayPublish(credentials).verdict, verdict);
    QCOMPARE(policy().mayManage(credentials, true).verdict, verdict);
    // Even with the token in the link.
    credentials.queryToken = Token.toUtf8();
    QCOMPARE(policy(Token).mayManage(credentials, true).verdict, verdict);
    // A trusted site's page says who it is with Origin, and is let through by that rule.
    AccessPolicy::Rules rules;
    rules.trustedOrigins = {u"https://dashboard.example"_qs};
    credentials = fromCurl();
    credentials.fetchSite = fetchSite;
    credentials.origin = "https://dashboard.example";
    QVERIFY(AccessPolicy(rules).mayPublish(credentials).isAllowed());
}

void tst_AccessPolicy::readingIsOpenUnlessPrivate()
{
    const AccessPolicy::Credentials stranger;
    for (const AccessPolicy &herald : {policy(), policy(Token), policy(QString(), true)}) {
        QVERIFY(herald.mayListen(stranger).isAllowed());
        QVERIFY(herald.mayOpenPage(stranger).isAllowed());
        QVERIFY(herald.mayOpenPage(stranger).setCookie.isEmpty());
        QVERIFY(herald.mayListClients(stranger).isAllowed());
    }
}

void tst_AccessPolicy::aPrivateStreamNeedsTheTokenOrTheCookie()
{
    const AccessPolicy herald = privateHerald();
    AccessPolicy::Credentials credentials;
    const AccessPolicy::Decision refused = herald.mayListen(credentials);
    QCOMPARE(refused.verdict, Verdict::Unauthorized);
    QVERIFY2(refused.reason.contains(u"?token="_qs), qPrintable(refused.reason));

    credentials.queryToken = ReadToken.toUtf8();
    QVERIFY(herald.mayListen(credentials).isAllowed());
    credentials.queryToken = Token.toUtf8();
    QVERIFY(herald.mayListen(credentials).isAllowed());
    credentials.queryToken = "guess";
    QCOMPARE(herald.mayListen(credentials).verdict, Verdict::Unauthorized);
    credentials.queryToken.clear();
    credentials.cookie = "theme=dark; herald_reader=" + AccessPolicy::readerKey(ReadToken.toUtf8());
    QVERIFY(herald.mayListen(credentials).isAllowed());
    // Clients that send headers (curl, ntfy's apps) give either token as Bearer or as Basic's password.
    credentials = AccessPolicy::Credentials();
    credentials.authorization = "Bearer " + Token.toUtf8();
    QVERIFY(herald.mayListen(credentials).isAllowed());
    credentials.authorization = "Basic " + ("phone:" + ReadToken.toUtf8()).toBase64();
    QVERIFY(herald.mayListen(credentials).isAllowed());
    credentials.authorization = "Bearer guess";
    QCOMPARE(herald.mayListen(credentials).verdict, Verdict::Unauthorized);
    credentials.authorization = "Basic " + QByteArray("phone:guess").toBase64();
    QCOMPARE(herald.mayListen(credentials).verdict, Verdict::Unauthorized);
}

void tst_AccessPolicy::aPrivateLinkLetsABrowserInThroughACookie()
{
    const AccessPolicy herald = privateHerald();
    AccessPolicy::Credentials credentials;
    credentials.queryToken = ReadToken.toUtf8();
    const AccessPolicy::Decision admitted = herald.mayOpenPage(credentials);
    QVERIFY(admitted.isAllowed());
    const QByteArray cookie = admitted.setCookie;
    QVERIFY(cookie.startsWith("herald_reader="));
    for (const char *attribute : {"HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=2592000"})
        QVERIFY2(cookie.contains(attribute), cookie.constData());
    // The browser sends the cookie back from then on, and that is enough.
    const QByteArray sentBack = cookie.left(cookie.indexOf(';'));
    credentials = AccessPolicy::Credentials();
    credentials.cookie = sentBack;
    QVERIFY(herald.mayOpenPage(credentials).isAllowed());
    QVERIFY(herald.mayListen(credentials).isAllowed());

    credentials = AccessPolicy::Credentials();
    const AccessPolicy::Decision withoutLink = herald.mayOpenPage(credentials);
    QCOMPARE(withoutLink.verdict, Verdict::Unauthorized);
    QVERIFY(withoutLink.reason.contains(u"open the link"_qs));
    credentials.queryToken = "guess";
    const AccessPolicy::Decision wrongLink = herald.mayOpenPage(credentials);
    QCOMPARE(wrongLink.verdict, Verdict::Unauthorized);
    QVERIFY(wrongLink.reason.contains(u"not its reader token"_qs));
    QVERIFY(wrongLink.setCookie.isEmpty());
}

void tst_AccessPolicy::aPrivateClientListNeedsTheTokenOrTheCookie()
{
    const AccessPolicy herald = privateHerald();
    QCOMPARE(herald.mayListClients({}).verdict, Verdict::Unauthorized);
    QVERIFY(herald.mayListClients(fromCurl("Bearer " + Token.toUtf8())).isAllowed());
    QVERIFY(herald.mayListClients(fromLan("Bearer " + ReadToken.toUtf8())).isAllowed());
    QCOMPARE(herald.mayListClients(fromLan("Bearer guess")).verdict, Verdict::Unauthorized);
    AccessPolicy::Credentials page;
    page.cookie = "herald_reader=" + AccessPolicy::readerKey(ReadToken.toUtf8());
    QVERIFY(herald.mayListClients(page).isAllowed());
    // A query token is for the page and the streams; the client list takes a bearer token.
    QCOMPARE(herald.mayListClients(withQueryToken(ReadToken)).verdict, Verdict::Unauthorized);
}

void tst_AccessPolicy::refusalsNeverRepeatTheToken()
{
    const AccessPolicy herald = privateHerald();
    AccessPolicy::Credentials credentials = fromCurl("Bearer " + Token.toUtf8() + "x");
    credentials.queryToken = Token.toUtf8() + "y";
    AccessPolicy::Credentials reader = fromCurl("Bearer " + ReadToken.toUtf8());
    reader.queryToken = ReadToken.toUtf8();
    for (const AccessPolicy::Decision &decision :
         {herald.mayManage(credentials, true), herald.mayListen(credentials), herald.mayOpenPage(credentials),
          herald.mayListClients(credentials), herald.mayManage(reader, true), herald.mayPublish(reader)}) {
        QVERIFY(!decision.isAllowed());
        QVERIFY2(!decision.reason.contains(Token), qPrintable(decision.reason));
        QVERIFY2(!decision.reason.contains(ReadToken), qPrintable(decision.reason));
    }
}

void tst_AccessPolicy::cookiesAreReadByTheirWholeName()
{
    QCOMPARE(AccessPolicy::cookieValue("a=1; herald_token=x%20y; b=2", "herald_token"), QByteArray("x y"));
    QCOMPARE(AccessPolicy::cookieValue("herald_token2=nope; herald_token=yes", "herald_token"), QByteArray("yes"));
    QVERIFY(AccessPolicy::cookieValue("xherald_token=nope", "herald_token").isEmpty());
    QVERIFY(AccessPolicy::cookieValue("", "herald_token").isEmpty());
}

void tst_AccessPolicy::withoutATokenOnlyThisComputerMayPublish_data()
{
    QTest::addColumn<QString>("peer");
    QTest::addColumn<Verdict>("verdict");
    QTest::newRow("127.0.0.1") << u"127.0.0.1"_qs << Verdict::Allowed;
    QTest::newRow("127.0.1.1") << u"127.0.1.1"_qs << Verdict::Allowed;
    QTest::newRow("::1") << u"::1"_qs << Verdict::Allowed;
    QTest::newRow("127.0.0.1 on a dual-stack socket") << u"::ffff:127.0.0.1"_qs << Verdict::Allowed;
    QTest::newRow("a phone on the Wi-Fi") << u"192.168.1.31"_qs << Verdict::Forbidden;
    QTest::newRow("a phone on a dual-stack socket") << u"::ffff:192.168.1.31"_qs << Verdict::Forbidden;
    QTest::newRow("an IPv6 neighbour") << u"fe80::1"_qs << Verdict::Forbidden;
    QTest::newRow("unknown") << QString() << Verdict::Forbidden;
}

void tst_AccessPolicy::withoutATokenOnlyThisComputerMayPublish()
{
    QFETCH(QString, peer);
    QFETCH(Verdict, verdict);
    AccessPolicy::Credentials credentials = fromCurl();
    credentials.peer = QHostAddress(peer);
    for (const AccessPolicy::Decision &decision :
         {policy().mayPublish(credentials), policy().mayManage(credentials, false),
          policy().mayManage(credentials, true)}) {
        QCOMPARE(decision.verdict, verdict);
        if (verdict == Verdict::Forbidden)
            QVERIFY2(decision.reason.contains(u"--token"_qs), qPrintable(decision.reason));
    }
    // Reading stays open to everyone.
    QVERIFY(policy().mayListen(credentials).isAllowed());
    QVERIFY(policy().mayOpenPage(credentials).isAllowed());
}

void tst_AccessPolicy::withATokenAnyDeviceMayPublishWithIt()
{
    const AccessPolicy herald = policy(Token);
    QVERIFY(herald.mayPublish(fromLan("Bearer " + Token.toUtf8())).isAllowed());
    QVERIFY(herald.mayManage(fromLan("Bearer " + Token.toUtf8()), false).isAllowed());
    QCOMPARE(herald.mayPublish(fromLan()).verdict, Verdict::Unauthorized);
    // The Host and Origin rules hold for every device.
    AccessPolicy::Credentials foreign = fromLan("Bearer " + Token.toUtf8());
    foreign.origin = "http://evil.example";
    QCOMPARE(herald.mayPublish(foreign).verdict, Verdict::Forbidden);
}

void tst_AccessPolicy::aPublisherLinkLetsThatBrowserPublishAndNothingMore()
{
    const AccessPolicy herald = policy(Token);
    // The link carries a key made from the token, not the token, and the token cannot open it.
    const QByteArray key = AccessPolicy::publisherKey(Token.toUtf8());
    QVERIFY(!key.isEmpty() && !key.contains(Token.toUtf8()));
    QVERIFY(key != AccessPolicy::publisherKey("another token"));
    AccessPolicy::Credentials tokenAsLink = fromLan();
    tokenAsLink.publisherToken = Token.toUtf8();
    QCOMPARE(herald.mayOpenPage(tokenAsLink).verdict, Verdict::Unauthorized);
    AccessPolicy::Credentials link = fromLan();
    link.publisherToken = key;
    const AccessPolicy::Decision opened = herald.mayOpenPage(link);
    QVERIFY(opened.isAllowed());
    QVERIFY(opened.canPublish);
    QVERIFY(opened.setCookie.startsWith("herald_publisher="));
    for (const char *attribute : {"HttpOnly", "SameSite=Strict", "Path=/"})
        QVERIFY2(opened.setCookie.contains(attribute), opened.setCookie.constData());

    AccessPolicy::Credentials phone = fromLan();
    phone.cookie = opened.setCookie.left(opened.setCookie.indexOf(';'));
    QVERIFY(herald.mayOpenPage(phone).canPublish);
    QVERIFY(herald.mayPublish(phone).isAllowed());
    // Publishing only: disconnecting clients and retracting still need the bearer token, which
    // neither the link nor its cookie gives away.
    QCOMPARE(herald.mayManage(phone, false).verdict, Verdict::Unauthorized);
    AccessPolicy::Credentials keyAsBearer = fromLan();
    keyAsBearer.authorization = "Bearer " + key;
    QCOMPARE(herald.mayManage(keyAsBearer, false).verdict, Verdict::Unauthorized);
    QVERIFY(!opened.setCookie.contains(Token.toUtf8()));
    // And the page of a browser without it shows no composer.
    QVERIFY(!herald.mayOpenPage(fromLan()).canPublish);
    // A phone whose page comes from another site cannot use it.
    phone.origin = "http://evil.example";
    QCOMPARE(herald.mayPublish(phone).verdict, Verdict::Forbidden);

    AccessPolicy::Credentials wrong = fromLan();
    wrong.publisherToken = "guess";
    const AccessPolicy::Decision refused = herald.mayOpenPage(wrong);
    QCOMPARE(refused.verdict, Verdict::Unauthorized);
    QVERIFY(refused.setCookie.isEmpty());
    // Without a token there is no publisher link to follow.
    QCOMPARE(policy().mayOpenPage(link).verdict, Verdict::Unauthorized);
}

void tst_AccessPolicy::aPublisherMayReadAPrivateHerald()
{
    const AccessPolicy herald = privateHerald();
    AccessPolicy::Credentials phone = fromLan();
    phone.cookie = "herald_publisher=" + AccessPolicy::publisherKey(Token.toUtf8());
    QVERIFY(herald.mayListen(phone).isAllowed());
    QVERIFY(herald.mayOpenPage(phone).isAllowed());
    QVERIFY(herald.mayListClients(phone).isAllowed());
}

void tst_AccessPolicy::theReaderTokenReadsAndTheTokenStillDoes()
{
    const AccessPolicy herald = privateHerald();
    for (const QString &token : {ReadToken, Token}) {
        const AccessPolicy::Credentials link = withQueryToken(token);
        QVERIFY(herald.mayListen(link).isAllowed());
        const AccessPolicy::Decision page = herald.mayOpenPage(link);
        QVERIFY(page.isAllowed());
        QVERIFY(page.setCookie.startsWith("herald_reader="));
        // Reading only: the page shows no composer, whichever token let the browser in.
        QVERIFY(!page.canPublish);
        AccessPolicy::Credentials browser = fromLan();
        browser.cookie = sentBack(page);
        QVERIFY(herald.mayListen(browser).isAllowed());
        QVERIFY(herald.mayOpenPage(browser).isAllowed());
        QVERIFY(!herald.mayOpenPage(browser).canPublish);
        QVERIFY(herald.mayListClients(browser).isAllowed());
        QVERIFY(herald.mayListClients(fromLan("Bearer " + token.toUtf8())).isAllowed());
        // The cookie lets that browser read, and nothing more.
        QCOMPARE(herald.mayPublish(browser).verdict, Verdict::Unauthorized);
        QCOMPARE(herald.mayManage(browser, true).verdict, Verdict::Unauthorized);
    }
    // Either link gives the same cookie: a key made from the reader token.
    QCOMPARE(herald.mayOpenPage(withQueryToken(Token)).setCookie,
             herald.mayOpenPage(withQueryToken(ReadToken)).setCookie);
    // The token still does everything it did.
    QVERIFY(herald.mayPublish(fromLan("Bearer " + Token.toUtf8())).isAllowed());
    QVERIFY(herald.mayManage(fromLan("Bearer " + Token.toUtf8()), false).isAllowed());
    QVERIFY(herald.mayManage(withQueryToken(Token), true).isAllowed());
}

void tst_AccessPolicy::theReaderTokenNeitherPublishesNorManages_data()
{
    QTest::addColumn<bool>("fromThisComputer");
    QTest::newRow("a phone on the Wi-Fi") << false;
    QTest::newRow("curl on this computer") << true;
}

void tst_AccessPolicy::theReaderTokenNeitherPublishesNorManages()
{
    QFETCH(bool, fromThisComputer);
    const AccessPolicy herald = privateHerald();
    const QByteArray bearer = "Bearer " + ReadToken.toUtf8();
    const AccessPolicy::Credentials reader = fromThisComputer ? fromCurl(bearer) : fromLan(bearer);
    AccessPolicy::Credentials say = fromThisComputer ? fromCurl() : fromLan();
    say.queryToken = ReadToken.toUtf8();
    // /publish, DELETE /api/events/N and /api/clients/ID, and /say?token=R.
    for (const AccessPolicy::Decision &decision : {herald.mayPublish(reader), herald.mayManage(reader, false),
                                                   herald.mayManage(reader, true), herald.mayManage(say, true)}) {
        QCOMPARE(decision.verdict, Verdict::Forbidden);
        QVERIFY2(decision.reason.contains(u"reads"_qs) && decision.reason.contains(u"does not publish"_qs),
                 qPrintable(decision.reason));
    }
    // A reader token in the query is no credential where only the bearer token counts.
    AccessPolicy::Credentials deleting = fromCurl();
    deleting.queryToken = ReadToken.toUtf8();
    QCOMPARE(herald.mayManage(deleting, false).verdict, Verdict::Unauthorized);
    // The Host and Origin rules come first, as for every publish.
    AccessPolicy::Credentials foreign = fromLan(bearer);
    foreign.origin = "http://evil.example";
    QVERIFY(herald.mayPublish(foreign).reason.contains(u"--trusted-origin"_qs));
}

void tst_AccessPolicy::theReadersCookieHoldsNeitherToken()
{
    const AccessPolicy herald = privateHerald();
    const QByteArray key = AccessPolicy::readerKey(ReadToken.toUtf8());
    QCOMPARE(key.size(), 64); // SHA-256, in hex
    QVERIFY(key != AccessPolicy::publisherKey(Token.toUtf8()));
    QVERIFY(key != AccessPolicy::readerKey(Token.toUtf8()));
    for (const QString &token : {ReadToken, Token}) {
        const QByteArray cookie = herald.mayOpenPage(withQueryToken(token)).setCookie;
        QCOMPARE(sentBack(herald.mayOpenPage(withQueryToken(token))), "herald_reader=" + key);
        for (const QString &secret : {ReadToken, Token}) {
            QVERIFY2(!cookie.contains(secret.toUtf8()), cookie.constData());
            QVERIFY2(!cookie.contains(QUrl::toPercentEncoding(secret)), cookie.constData());
        }
        for (const char *attribute : {"HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=2592000"})
            QVERIFY2(cookie.contains(attribute), cookie.constData());
    }
    // A cookie holding a token itself, as an older Herald gave out, lets nobody in.
    for (const QByteArray &old :
         {"herald_token=" + Token.toUtf8(), "herald_reader=" + Token.toUtf8(), "herald_reader=" + ReadToken.toUtf8()}) {
        AccessPolicy::Credentials browser = fromLan();
        browser.cookie = old;
        QCOMPARE(herald.mayListen(browser).verdict, Verdict::Unauthorized);
        QCOMPARE(herald.mayOpenPage(browser).verdict, Verdict::Unauthorized);
        QCOMPARE(herald.mayListClients(browser).verdict, Verdict::Unauthorized);
    }
}

void tst_AccessPolicy::aNewReaderTokenMakesOldCookiesUseless()
{
    const AccessPolicy before = privateHerald();
    AccessPolicy::Credentials browser = fromLan();
    browser.cookie = sentBack(before.mayOpenPage(withQueryToken(ReadToken)));
    QVERIFY(before.mayListen(browser).isAllowed());

    const QString newReadToken = QStringLiteral("an0ther-reader");
    const AccessPolicy after = privateHerald(newReadToken);
    QCOMPARE(after.mayListen(browser).verdict, Verdict::Unauthorized);
    QCOMPARE(after.mayOpenPage(browser).verdict, Verdict::Unauthorized);
    QCOMPARE(after.mayListClients(browser).verdict, Verdict::Unauthorized);
    QCOMPARE(after.mayListen(withQueryToken(ReadToken)).verdict, Verdict::Unauthorized); // the old link too
    QVERIFY(after.mayListen(withQueryToken(newReadToken)).isAllowed());
    // A new token alone leaves the readers in.
    const AccessPolicy newToken = policy(QStringLiteral("new-0perator"), true, ReadToken);
    QVERIFY(newToken.mayListen(browser).isAllowed());
}

void tst_AccessPolicy::theReaderTokenIsUnusedUnlessPrivateAndNeverTheToken()
{
    // Without --private, reading is open and the reader token is just a wrong token elsewhere.
    const AccessPolicy open = policy(Token, false, ReadToken);
    QVERIFY(open.mayListen({}).isAllowed());
    QVERIFY(open.mayOpenPage(withQueryToken(ReadToken)).setCookie.isEmpty());
    QCOMPARE(open.mayPublish(fromLan("Bearer " + ReadToken.toUtf8())).verdict, Verdict::Unauthorized);
    // A reader token that is the token is no reader token: the token keeps every right it has.
    const AccessPolicy same = privateHerald(Token);
    QVERIFY(same.mayPublish(fromLan("Bearer " + Token.toUtf8())).isAllowed());
    QVERIFY(same.mayManage(withQueryToken(Token), true).isAllowed());
    QVERIFY(!same.mayOpenPage(withQueryToken(Token)).setCookie.contains(Token.toUtf8()));
}

QTEST_APPLESS_MAIN(tst_AccessPolicy)
#include "tst_accesspolicy.moc"
