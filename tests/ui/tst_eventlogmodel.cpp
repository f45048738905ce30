#include "eventlogmodel.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

/// The log's model: batches, its row limit, and the JSON-lines export.
class tst_EventLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendsInBatchesAndKeepsTheNewest();
    void exportsEveryEventAsOneJsonLine();
};

namespace {

PublishedEvent publishedEvent(quint64 id, const QString &data)
{
    PublishedEvent published;
    published.id = id;
    published.data = data;
    published.publishedAt = QDateTime::currentDateTimeUtc();
    published.queuedTo = 3;
    published.origin = u"panel"_qs;
    return published;
}

} // namespace

void tst_EventLogModel::appendsInBatchesAndKeepsTheNewest()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLimit(5);
    model.append({publishedEvent(1, u"one"_qs), publishedEvent(2, u"two"_qs), publishedEvent(3, u"three"_qs)});
    QCOMPARE(model.rowCount(), 3);
    model.append({publishedEvent(4, u"four"_qs), publishedEvent(5, u"five"_qs), publishedEvent(6, u"six"_qs),
                  publishedEvent(7, u"seven"_qs)});
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.eventAt(0).id, 3u);
    QCOMPARE(model.index(4, EventLogModel::TextColumn).data().toString(), u"seven"_qs);
    QCOMPARE(model.index(4, EventLogModel::TargetColumn).data().toString(), u"everyone"_qs);
}

void tst_EventLogModel::exportsEveryEventAsOneJsonLine()
{
    EventLogModel model;
    PublishedEvent targeted = publishedEvent(2, u"line one\nline two"_qs);
    targeted.type = u"alert"_qs;
    targeted.topic = u"news"_qs;
    targeted.target = u"b-123"_qs;
    model.append({publishedEvent(1, u"hello"_qs), targeted});

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(model.exportJsonLines(&buffer));
    const QList<QByteArray> lines = buffer.data().split('\n');
    QCOMPARE(lines.size(), 3); // two records and the final newline
    QVERIFY(lines.last().isEmpty());

    QJsonParseError error;
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(first.value(u"id"_qs).toInt(), 1);
    QCOMPARE(first.value(u"data"_qs).toString(), u"hello"_qs);
    QVERIFY(!first.contains(u"to"_qs));
    const QJsonObject second = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(second.value(u"data"_qs).toString(), u"line one\nline two"_qs);
    QCOMPARE(second.value(u"event"_qs).toString(), u"alert"_qs);
    QCOMPARE(second.value(u"topic"_qs).toString(), u"news"_qs);
    QCOMPARE(second.value(u"to"_qs).toString(), u"b-123"_qs);
    QCOMPARE(second.value(u"delivered"_qs).toInt(), 3);
    QVERIFY(QDateTime::fromString(second.value(u"time"_qs).toString(), Qt::ISODateWithMs).isValid());
}

QTEST_GUILESS_MAIN(tst_EventLogModel)
#include "tst_eventlogmodel.moc"
