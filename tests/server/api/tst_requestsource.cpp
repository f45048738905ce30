#include "requestsource.h"

#include <QHash>
#include <QTest>

namespace {

RequestSource sourceOf(const QString &peer, const QHash<QByteArray, QByteArray> &headers,
                       const QList<QHostAddress> &trusted = {QHostAddress(QStringLiteral("10.0.0.1"))})
{
    return RequestSource::of(
        QHostAddress(peer), [&headers](const char *name) { return headers.value(name); }, trusted);
}

} // namespace

/// Who made a request behind --trusted-proxy, and why nobody else can say.
class tst_RequestSource : public QObject
{
    Q_OBJECT

private slots:
    void withoutAProxyThePeerIsTheClient();
    void aTrustedProxySaysWhoAndWhere();
    void anyoneElsesForwardingHeadersAreIgnored();
    void theLastHopIsTheOneTheProxySaw();
};

void tst_RequestSource::withoutAProxyThePeerIsTheClient()
{
    const RequestSource source = sourceOf(u"::ffff:192.168.1.31"_qs, {{"Host", "herald.lan:8080"}});
    QCOMPARE(source.address, QHostAddress(u"192.168.1.31"_qs)); // not its IPv6 spelling
    QCOMPARE(source.host, QByteArray("herald.lan:8080"));
    QCOMPARE(source.scheme, QByteArray("http"));
}

void tst_RequestSource::aTrustedProxySaysWhoAndWhere()
{
    const RequestSource source = sourceOf(u"10.0.0.1"_qs,
                                          {{"Host", "backend:8081"},
                                           {"X-Forwarded-For", "203.0.113.9"},
                                           {"X-Forwarded-Host", "news.example.org"},
                                           {"X-Forwarded-Proto", "https"}});
    QCOMPARE(source.address, QHostAddress(u"203.0.113.9"_qs));
    QCOMPARE(source.host, QByteArray("news.example.org"));
    QCOMPARE(source.scheme, QByteArray("https"));
    // Without X-Forwarded-For the sender is unknown, never the proxy itself (which may be this
    // computer, and so allowed to publish without a token); the other headers it leaves out keep
    // what the connection says.
    const RequestSource bare = sourceOf(u"127.0.0.1"_qs, {{"Host", "backend:8081"}}, {QHostAddress::LocalHost});
    QVERIFY(bare.address.isNull());
    QCOMPARE(bare.host, QByteArray("backend:8081"));
    QCOMPARE(bare.scheme, QByteArray("http"));
}

void tst_RequestSource::anyoneElsesForwardingHeadersAreIgnored()
{
    // A phone on the Wi-Fi may not pose as this computer, nor as another site.
    const RequestSource source = sourceOf(u"192.168.1.31"_qs,
                                          {{"Host", "192.168.1.20:8080"},
                                           {"X-Forwarded-For", "127.0.0.1"},
                                           {"X-Forwarded-Host", "localhost"},
                                           {"X-Forwarded-Proto", "https"}});
    QCOMPARE(source.address, QHostAddress(u"192.168.1.31"_qs));
    QCOMPARE(source.host, QByteArray("192.168.1.20:8080"));
    QCOMPARE(source.scheme, QByteArray("http"));
    // Without --trusted-proxy nobody is a proxy.
    QCOMPARE(sourceOf(u"10.0.0.1"_qs, {{"X-Forwarded-For", "127.0.0.1"}}, {}).address, QHostAddress(u"10.0.0.1"_qs));
}

void tst_RequestSource::theLastHopIsTheOneTheProxySaw()
{
    // A client may send X-Forwarded-For itself; the proxy appends what it saw.
    const RequestSource source = sourceOf(u"10.0.0.1"_qs, {{"X-Forwarded-For", "127.0.0.1, 198.51.100.4"}});
    QCOMPARE(source.address, QHostAddress(u"198.51.100.4"_qs));
    // Nonsense from the proxy leaves the sender unknown.
    QVERIFY(sourceOf(u"10.0.0.1"_qs, {{"X-Forwarded-For", "not an address"}}).address.isNull());
    QCOMPARE(sourceOf(u"10.0.0.1"_qs, {{"X-Forwarded-Proto", "gopher"}}).scheme, QByteArray("http"));
}

QTEST_APPLESS_MAIN(tst_RequestSource)
#include "tst_requestsource.moc"
