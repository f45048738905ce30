#include "event.h"
#include "ntfysubscribe.h"
#include "requestfields.h"
#include "serviceconfig.h"

#include <QTest>

namespace {

constexpr qint64 Now = 1'700'000'000'000; // the time durations count back from

using Headers = QList<QPair<QByteArray, QByteArray>>;

/// Decodes "/path?query" as a Herald with the default --max-topics does, with \a headers.
StreamDecoding decode(const QByteArray &target, const Headers &headers = {})
{
    const qsizetype question = target.indexOf('?');
    const QByteArray path = question < 0 ? target : target.left(question);
    const QUrlQuery query = formQuery(question < 0 ? QString() : QString::fromLatin1(target.mid(question + 1)));
    return decodeNtfySubscribe(path, query, headersFrom(headers), ServiceConfig().maxTopics, Now);
}

Event eventWith(const QString &topic, const MessageFields &fields, const QByteArray &text = "text")
{
    return *Event::create(1, QString(), topic, QString(), text, Now, fields);
}

} // namespace

/// What ntfy's subscribe paths read from their path, query and headers (docs.ntfy.sh, "Subscribe
/// via API"), as the README's ntfy section documents it.
class tst_NtfySubscribe : public QObject
{
    Q_OBJECT

private slots:
    void thePathNamesTopicsAndFormat_data();
    void thePathNamesTopicsAndFormat();
    void sinceTakesEveryFormNtfyGives_data();
    void sinceTakesEveryFormNtfyGives();
    void aPollReadsEverythingRetainedByDefault();
    void anEventSourceResumesAfterItsLastId();
    void filtersComeByNameAliasOrHeader();
    void filtersMatchAsNtfysDo();
    void badRequestsAreRefusedWithAReason_data();
    void badRequestsAreRefusedWithAReason();
};

void tst_NtfySubscribe::thePathNamesTopicsAndFormat_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("isSubscription");
    QTest::addColumn<QStringList>("topics");
    QTest::addColumn<int>("format");
    QTest::newRow("json") << QByteArray("/kitchen/json") << true << QStringList{u"kitchen"_qs}
                          << int(StreamFormat::NtfyJson);
    QTest::newRow("sse") << QByteArray("/kitchen/sse") << true << QStringList{u"kitchen"_qs}
                         << int(StreamFormat::NtfySse);
    QTest::newRow("raw") << QByteArray("/a_b-C9/raw") << true << QStringList{u"a_b-C9"_qs}
                         << int(StreamFormat::NtfyRaw);
    QTest::newRow("several topics") << QByteArray("/one,two,one/json") << true << QStringList{u"one"_qs, u"two"_qs}
                                    << int(StreamFormat::NtfyJson);
    QTest::newRow("comma encoded") << QByteArray("/one%2Ctwo/json") << true << QStringList{u"one"_qs, u"two"_qs}
                                   << int(StreamFormat::NtfyJson);
    QTest::newRow("Herald's own path") << QByteArray("/events/json") << false << QStringList() << 0;
    QTest::newRow("api") << QByteArray("/api/sse") << false << QStringList() << 0;
    QTest::newRow("no topic") << QByteArray("/json") << false << QStringList() << 0;
    QTest::newRow("empty topic") << QByteArray("/a,,b/json") << false << QStringList() << 0;
    QTest::newRow("bad character") << QByteArray("/caf%C3%A9/json") << false << QStringList() << 0;
    QTest::newRow("too long") << "/" + QByteArray(65, 'x') + "/json" << false << QStringList() << 0;
    QTest::newRow("deeper") << QByteArray("/a/b/json") << false << QStringList() << 0;
    QTest::newRow("other format") << QByteArray("/kitchen/ws") << false << QStringList() << 0;
    QTest::newRow("publish") << QByteArray("/kitchen/publish") << false << QStringList() << 0;
}

void tst_NtfySubscribe::thePathNamesTopicsAndFormat()
{
    QFETCH(QByteArray, path);
    QFETCH(bool, isSubscription);
    QFETCH(QStringList, topics);
    QFETCH(int, format);
    QCOMPARE(isNtfySubscribePath(path), isSubscription);
    const StreamDecoding decoding = decode(path);
    QCOMPARE(decoding.isValid(), isSubscription);
    if (!isSubscription)
        return;
    QCOMPARE(decoding.request.topics, topics);
    QCOMPARE(int(decoding.request.format), format);
    // Live from now on, with nothing caught up, unless asked.
    QVERIFY(!decoding.request.resume);
    QCOMPARE(decoding.request.sinceMs, -1);
    QCOMPARE(decoding.request.rewind, 0);
    QVERIFY(!decoding.request.poll);
    QVERIFY(!decoding.request.filter);
}

void tst_NtfySubscribe::sinceTakesEveryFormNtfyGives_data()
{
    QTest::addColumn<QByteArray>("since");
    QTest::addColumn<qint64>("sinceMs"); // -1: none
    QTest::addColumn<qint64>("afterId"); // -1: no resume
    QTest::addColumn<int>("rewind");
    QTest::newRow("all") << QByteArray("all") << qint64(-1) << qint64(0) << 0;
    QTest::newRow("latest") << QByteArray("latest") << qint64(-1) << qint64(-1) << 1;
    QTest::newRow("seconds") << QByteArray("30s") << Now - 30'000 << qint64(-1) << 0;
    QTest::newRow("minutes") << QByteArray("10m") << Now - 600'000 << qint64(-1) << 0;
    QTest::newRow("hours") << QByteArray("2h") << Now - 7'200'000 << qint64(-1) << 0;
    QTest::newRow("days") << QByteArray("1d") << Now - 86'400'000 << qint64(-1) << 0;
    QTest::newRow("before 1970") << QByteArray("99999999d") << qint64(0) << qint64(-1) << 0;
    QTest::newRow("Unix time") << QByteArray("1635528757") << qint64(1'635'528'757'000) << qint64(-1) << 0;
    QTest::newRow("message id") << QByteArray("42") << qint64(-1) << qint64(42) << 0;
    QTest::newRow("edited message id") << QByteArray("42-3") << qint64(-1) << qint64(42) << 0;
}

void tst_NtfySubscribe::sinceTakesEveryFormNtfyGives()
{
    QFETCH(QByteArray, since);
    QFETCH(qint64, sinceMs);
    QFETCH(qint64, afterId);
    QFETCH(int, rewind);
    for (const QByteArray &name : {QByteArray("since"), QByteArray("si")}) {
        const StreamDecoding decoding = decode("/t/json?" + name + "=" + since);
        QVERIFY2(decoding.isValid(), qPrintable(decoding.error));
        QCOMPARE(decoding.request.sinceMs, sinceMs);
        QCOMPARE(decoding.request.resume, afterId >= 0);
        if (afterId >= 0)
            QCOMPARE(qint64(decoding.request.lastEventId), afterId);
        QCOMPARE(decoding.request.rewind, rewind);
    }
    // ntfy reads it from an X-Since header too.
    const StreamDecoding header = decode("/t/json", {{"X-Since", since}});
    QVERIFY2(header.isValid(), qPrintable(header.error));
    QCOMPARE(header.request.sinceMs, sinceMs);
}

void tst_NtfySubscribe::aPollReadsEverythingRetainedByDefault()
{
    for (const QByteArray &target : {QByteArray("/t/json?poll=1"), QByteArray("/t/raw?po=true")}) {
        const StreamDecoding poll = decode(target);
        QVERIFY2(poll.isValid(), qPrintable(poll.error));
        QVERIFY(poll.request.poll);
        QVERIFY(poll.request.resume);
        QCOMPARE(poll.request.lastEventId, 0u);
    }
    const StreamDecoding recent = decode("/t/json?poll=1&since=5m");
    QVERIFY(recent.request.poll);
    QVERIFY(!recent.request.resume);
    QCOMPARE(recent.request.sinceMs, Now - 300'000);
    QVERIFY(!decode("/t/json?poll=0").request.poll);
}

void tst_NtfySubscribe::anEventSourceResumesAfterItsLastId()
{
    const StreamDecoding resumed = decode("/t/sse", {{"Last-Event-ID", "17"}});
    QVERIFY2(resumed.isValid(), qPrintable(resumed.error));
    QVERIFY(resumed.request.resume);
    QCOMPARE(resumed.request.lastEventId, 17u);
    // since= says where to start, whatever the header.
    const StreamDecoding since = decode("/t/sse?since=latest", {{"Last-Event-ID", "17"}});
    QVERIFY(!since.request.resume);
    QCOMPARE(since.request.rewind, 1);
    QVERIFY(!decode("/t/sse", {{"Last-Event-ID", "x"}}).isValid());
}

void tst_NtfySubscribe::filtersComeByNameAliasOrHeader()
{
    const StreamDecoding named = decode("/t/json?priority=high,5&tags=a,b&title=Lunch+time&message=Pizza%21");
    QVERIFY2(named.isValid(), qPrintable(named.error));
    QVERIFY(named.request.filter);
    QCOMPARE(named.request.filter->priorities, (QList<int>{4, 5}));
    QCOMPARE(named.request.filter->tags, (QStringList{u"a"_qs, u"b"_qs}));
    QCOMPARE(named.request.filter->title, u"Lunch time"_qs);
    QCOMPARE(named.request.filter->message, u"Pizza!"_qs);

    for (const QByteArray &target :
         {QByteArray("/t/json?p=4&ta=a&t=x&m=y"), QByteArray("/t/json?prio=4&tag=a&ti=x&msg=y")}) {
        const StreamDecoding aliased = decode(target);
        QVERIFY2(aliased.isValid(), qPrintable(aliased.error));
        QCOMPARE(aliased.request.filter->priorities, QList<int>{4});
        QCOMPARE(aliased.request.filter->tags, QStringList{u"a"_qs});
        QCOMPARE(aliased.request.filter->title, u"x"_qs);
        QCOMPARE(aliased.request.filter->message, u"y"_qs);
    }
    const StreamDecoding headers
        = decode("/t/json", {{"X-Priority", "min"}, {"X-Tags", "warning"}, {"X-Title", "Alert"}});
    QVERIFY2(headers.isValid(), qPrintable(headers.error));
    QCOMPARE(headers.request.filter->priorities, QList<int>{1});
    QCOMPARE(headers.request.filter->tags, QStringList{u"warning"_qs});
    QCOMPARE(headers.request.filter->title, u"Alert"_qs);
    // As ntfy: an empty filter is none.
    QVERIFY(!decode("/t/json?title=&tags=&priority=").request.filter);
}

void tst_NtfySubscribe::filtersMatchAsNtfysDo()
{
    MessageFields urgent;
    urgent.priority = 5;
    urgent.tags = {u"warning"_qs, u"skull"_qs};
    urgent.title = u"Alert"_qs;
    const Event event = eventWith(u"t"_qs, urgent, "Disk full");

    const auto passes = [&event](const QByteArray &query) {
        const StreamDecoding decoding = decode("/t/json?" + query);
        return !decoding.request.filter || decoding.request.filter->matches(event);
    };
    QVERIFY(passes("priority=4,5")); // any of the priorities
    QVERIFY(!passes("priority=1,2,3"));
    QVERIFY(passes("tags=skull"));
    QVERIFY(passes("tags=skull,warning")); // every one of the tags
    QVERIFY(!passes("tags=skull,tada"));
    QVERIFY(passes("title=Alert"));
    QVERIFY(!passes("title=Aler"));
    QVERIFY(passes("message=Disk+full"));
    QVERIFY(!passes("message=Disk"));
    QVERIFY(passes("priority=urgent&tags=warning&title=Alert&message=Disk+full"));
    QVERIFY(!passes("priority=urgent&tags=warning&title=Other"));
    // A message without a priority has the default one, 3.
    const Event plain = eventWith(u"t"_qs, MessageFields());
    QVERIFY(decode("/t/json?priority=default").request.filter->matches(plain));
    QVERIFY(!decode("/t/json?priority=high").request.filter->matches(plain));
}

void tst_NtfySubscribe::badRequestsAreRefusedWithAReason_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("named");
    QTest::newRow("since") << QByteArray("/t/json?since=yesterday") << u"since"_qs;
    QTest::newRow("since unit") << QByteArray("/t/json?since=10y") << u"since"_qs;
    QTest::newRow("since negative") << QByteArray("/t/json?since=-5") << u"since"_qs;
    QTest::newRow("poll") << QByteArray("/t/json?poll=maybe") << u"poll"_qs;
    QTest::newRow("priority") << QByteArray("/t/json?priority=9") << u"priority"_qs;
    QTest::newRow("priority name") << QByteArray("/t/json?priority=high,loud") << u"priority"_qs;
    QByteArray many = "/t0";
    for (int i = 1; i <= ServiceConfig().maxTopics; ++i)
        many += ",t" + QByteArray::number(i);
    QTest::newRow("too many topics") << many + "/json" << u"--max-topics"_qs;
}

void tst_NtfySubscribe::badRequestsAreRefusedWithAReason()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, named);
    const StreamDecoding decoding = decode(target);
    QVERIFY(!decoding.isValid());
    QVERIFY2(decoding.error.contains(named), qPrintable(decoding.error));
}

QTEST_APPLESS_MAIN(tst_NtfySubscribe)
#include "tst_ntfysubscribe.moc"
