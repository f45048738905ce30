#include "event.h"

#include <QTest>

/// Herald's routing rule: no topic reaches everyone; topic T reaches T's subscribers and
/// clients without a filter; "to" reaches only that client.
class tst_EventRouting : public QObject
{
    Q_OBJECT

private slots:
    void visibility_data();
    void visibility();
};

void tst_EventRouting::visibility_data()
{
    QTest::addColumn<QString>("eventTopic");
    QTest::addColumn<QString>("eventTarget");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QStringList>("clientTopics");
    QTest::addColumn<bool>("visible");

    const QStringList none;
    const QStringList news{u"news"_qs};
    const QStringList newsAndSport{u"news"_qs, u"sport"_qs};

    QTest::newRow("no topic, no filter") << QString() << QString() << u"a"_qs << none << true;
    QTest::newRow("no topic, filtered client") << QString() << QString() << u"a"_qs << news << true;
    QTest::newRow("topic, unfiltered client") << u"news"_qs << QString() << u"a"_qs << none << true;
    QTest::newRow("topic, subscribed") << u"news"_qs << QString() << u"a"_qs << news << true;
    QTest::newRow("topic, one of several") << u"sport"_qs << QString() << u"a"_qs << newsAndSport << true;
    QTest::newRow("topic, not subscribed") << u"weather"_qs << QString() << u"a"_qs << news << false;
    QTest::newRow("topic is case-sensitive") << u"News"_qs << QString() << u"a"_qs << news << false;
    QTest::newRow("to this client") << QString() << u"a"_qs << u"a"_qs << none << true;
    QTest::newRow("to another client") << QString() << u"b"_qs << u"a"_qs << none << false;
    QTest::newRow("to this client, its topic") << u"news"_qs << u"a"_qs << u"a"_qs << news << true;
    QTest::newRow("to this client, other topic") << u"sport"_qs << u"a"_qs << u"a"_qs << news << false;
}

void tst_EventRouting::visibility()
{
    QFETCH(QString, eventTopic);
    QFETCH(QString, eventTarget);
    QFETCH(QString, clientId);
    QFETCH(QStringList, clientTopics);
    QFETCH(bool, visible);

    const EventPointer event = Event::create(1, QString(), eventTopic, eventTarget, "x", 0);
    QCOMPARE(event->isVisibleTo(clientId, clientTopics), visible);
}

QTEST_APPLESS_MAIN(tst_EventRouting)
#include "tst_eventrouting.moc"
