#include "eventlogmodel.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QFont>
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
    void anEditShowsTheNewestVersionInItsRow();
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

void tst_EventLogModel::anEditShowsTheNewestVersionInItsRow()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append({publishedEvent(1, u"one"_qs), publishedEvent(2, u"Doors at 9"_qs)});
    PublishedEvent edited = publishedEvent(2, u"Doors at 10"_qs);
    edited.fields.title = u"Hall B"_qs;
    edited.fields.priority = 4;
    edited.fields.tags = {u"door"_qs, u"warning"_qs};
    edited.revision = 2;
    model.markEdited(edited);
    QVERIFY(model.isEdited(1));
    QVERIFY(!model.isEdited(0));
    QCOMPARE(model.index(1, EventLogModel::TextColumn).data().toString(), u"Doors at 10"_qs);
    QCOMPARE(model.index(1, EventLogModel::TitleColumn).data().toString(), u"Hall B"_qs);
    QCOMPARE(model.index(1, EventLogModel::PriorityColumn).data().toString(), u"high"_qs);
    QCOMPARE(model.index(1, EventLogModel::TagsColumn).data().toString(), u"door, warning"_qs);
    QCOMPARE(model.index(0, EventLogModel::PriorityColumn).data().toString(), QString()); // the default says nothing
    QVERIFY(model.index(1, EventLogModel::TextColumn).data(Qt::FontRole).value<QFont>().italic());
    // An older version, arriving late, does not replace a newer one.
    PublishedEvent stale = publishedEvent(2, u"Doors at 9:30"_qs);
    stale.revision = 1;
    model.markEdited(stale);
    QCOMPARE(model.index(1, EventLogModel::TextColumn).data().toString(), u"Doors at 10"_qs);

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(model.exportJsonLines(&buffer));
    const QJsonObject record = QJsonDocument::fromJson(buffer.data().split('\n').at(1)).object();
    QCOMPARE(record.value(u"data"_qs).toString(), u"Doors at 10"_qs);
    QCOMPARE(record.value(u"title"_qs).toString(), u"Hall B"_qs);
    QCOMPARE(record.value(u"priority"_qs).toInt(), 4);
    QCOMPARE(record.value(u"revision"_qs).toInt(), 2);
}

QTEST_GUILESS_MAIN(tst_EventLogModel)
#include "tst_eventlogmodel.moc"
