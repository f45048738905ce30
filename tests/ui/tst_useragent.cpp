#include "useragent.h"

#include <QTest>

/// The Browser column: what real browsers send, and what an operator should read.
class tst_UserAgent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void describes_data();
    void describes();
    void hostileHeadersGiveOneShortLine_data();
    void hostileHeadersGiveOneShortLine();
};

void tst_UserAgent::describes_data()
{
    QTest::addColumn<QString>("userAgent");
    QTest::addColumn<QString>("expected");
    QTest::newRow("chrome on android")
        << u"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"_qs
        << u"Chrome 120 on Android"_qs;
    QTest::newRow("safari on iphone")
        << u"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"_qs
        << u"Safari 17 on iOS"_qs;
    QTest::newRow("chrome on ipad says CriOS")
        << u"Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1"_qs
        << u"Chrome 119 on iOS"_qs;
    QTest::newRow("firefox on windows")
        << u"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"_qs
        << u"Firefox 121 on Windows"_qs;
    QTest::newRow("edge is not chrome")
        << u"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61"_qs
        << u"Edge 120 on Windows"_qs;
    QTest::newRow("samsung internet")
        << u"Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"_qs
        << u"Samsung Internet 23 on Android"_qs;
    QTest::newRow("safari on mac")
        << u"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15"_qs
        << u"Safari 17 on macOS"_qs;
    QTest::newRow("curl") << u"curl/7.88.1"_qs << u"curl 7"_qs;
    QTest::newRow("unknown program keeps its name") << u"MyKiosk/2.1 (custom)"_qs << u"MyKiosk"_qs;
    QTest::newRow("missing") << QString() << u"Unknown"_qs;
}

void tst_UserAgent::describes()
{
    QFETCH(QString, userAgent);
    QFETCH(QString, expected);
    QCOMPARE(describeUserAgent(userAgent), expected);
}

void tst_UserAgent::hostileHeadersGiveOneShortLine_data()
{
    QTest::addColumn<QString>("userAgent");
    QTest::addColumn<QString>("startsWith");
    QTest::newRow("line breaks") << u"Evil\r\nX-Injected: 1"_qs << u"Evil"_qs;
    QTest::newRow("a name of slashes") << u"/usr/bin/fetcher"_qs << u"/usr/bin/fetcher"_qs;
    QTest::newRow("an endless version") << u"Chrome/"_qs + QString(500, u'9') << u"Chrome 999"_qs;
    QTest::newRow("an endless name") << QString(500, u'x') << u"xxx"_qs;
    QTest::newRow("only control characters") << u"\x01\x02\t\x7f"_qs << u"Unknown"_qs;
}

void tst_UserAgent::hostileHeadersGiveOneShortLine()
{
    QFETCH(QString, userAgent);
    QFETCH(QString, startsWith);
    const QString description = describeUserAgent(userAgent);
    QVERIFY2(description.startsWith(startsWith), qPrintable(description));
    QVERIFY(description.size() <= 60);
    for (const QChar c : description)
        QVERIFY2(c.isPrint(), qPrintable(description));
}

QTEST_GUILESS_MAIN(tst_UserAgent)
#include "tst_useragent.moc"
