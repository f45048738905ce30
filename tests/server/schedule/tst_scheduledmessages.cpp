#include "scheduledmessages.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

/// The schedule as the README promises it: each message goes out once at its time, through the
/// publish with a key of its own, and waits across restarts in a file of its own.
class tst_ScheduledMessages : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void aMessageGoesOutAtItsTimeWithItsOwnKeyAndLeaves();
    void aRestartKeepsWhatWaitsAndSendsWhatIsDueAtOnce();
    void aPublishThatFailsIsTriedAgain();
    void cancelAndChange();
    void aRetriedScheduleWithTheSameKeyIsTheSameSchedule();
    void anUnreadableFileStopsTheStartNamingIt();

private:
    /// A schedule kept in the test's file that records what it publishes; \a accept says whether
    /// each publish succeeds.
    std::unique_ptr<ScheduledMessages> schedule(const std::function<bool()> &accept = [] { return true; });
    static PublishRequest request(const QByteArray &text)
    {
        PublishRequest request;
        request.data = text;
        request.topic = QStringLiteral("lobby");
        request.fields.title = QStringLiteral("Soon");
        return request;
    }
    static qint64 now() { return QDateTime::currentMSecsSinceEpoch(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_file;
    QList<ScheduledMessage> m_published;
};

void tst_ScheduledMessages::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_file = m_dir->filePath(u"scheduled.json"_qs);
    m_published.clear();
}

std::unique_ptr<ScheduledMessages> tst_ScheduledMessages::schedule(const std::function<bool()> &accept)
{
    return std::make_unique<ScheduledMessages>(m_file, [this, accept](const ScheduledMessage &message, auto done) {
        const bool published = accept();
        if (published)
            m_published.append(message);
        done(published);
    });
}

void tst_ScheduledMessages::aMessageGoesOutAtItsTimeWithItsOwnKeyAndLeaves()
{
    auto messages = schedule();
    QString error;
    QVERIFY(messages->open(&error));
    bool duplicate = true;
    const qint64 due = now() + 300;
    const auto added = messages->add(request("in a moment"), due, now(), u"http"_qs, &duplicate, &error);
    QVERIFY2(added, qPrintable(error));
    QVERIFY(!duplicate);
    QCOMPARE(added->id.size(), 16);
    QCOMPARE(messages->count(), 1);
    QVERIFY(QFile(m_file).exists());
    QVERIFY(m_published.isEmpty());

    QTRY_COMPARE(m_published.size(), 1);
    QVERIFY(now() >= due);
    const ScheduledMessage sent = m_published.constFirst();
    QCOMPARE(sent.request.data, QByteArray("in a moment"));
    QCOMPARE(sent.request.fields.title, u"Soon"_qs);
    QCOMPARE(sent.request.idempotencyKey, "herald-schedule:" + added->id.toLatin1());
    QCOMPARE(sent.origin, u"http"_qs);
    QCOMPARE(messages->count(), 0);
    QTest::qWait(200);
    QCOMPARE(m_published.size(), 1); // once

    // The file no longer holds it: a restart sends nothing.
    auto restarted = schedule();
    QVERIFY(restarted->open(&error));
    QCOMPARE(restarted->count(), 0);
}

void tst_ScheduledMessages::aRestartKeepsWhatWaitsAndSendsWhatIsDueAtOnce()
{
    QString error;
    bool duplicate = false;
    QString later;
    {
        auto messages = schedule();
        QVERIFY(messages->open(&error));
        later = messages->add(request("in an hour"), now() + 3'600'000, now(), u"panel"_qs, &duplicate, &error)->id;
        QVERIFY(messages->add(request("in a second"), now() + 1000, now(), u"http"_qs, &duplicate, &error));
    } // stopped before either's time
    QTest::qWait(1100);
    auto messages = schedule();
    QVERIFY(messages->open(&error));
    // The one past its time goes out at once, the other waits, as it was.
    QCOMPARE(m_published.size(), 1);
    QCOMPARE(m_published.constFirst().request.data, QByteArray("in a second"));
    QCOMPARE(messages->count(), 1);
    const ScheduledMessage waiting = messages->pending().constFirst();
    QCOMPARE(waiting.id, later);
    QCOMPARE(waiting.request.data, QByteArray("in an hour"));
    QCOMPARE(waiting.request.topic, u"lobby"_qs);
    QCOMPARE(waiting.request.fields.title, u"Soon"_qs);
    QCOMPARE(waiting.origin, u"panel"_qs);
}

void tst_ScheduledMessages::aPublishThatFailsIsTriedAgain()
{
    int attempts = 0;
    auto messages = schedule([&] { return ++attempts > 1; });
    QString error;
    QVERIFY(messages->open(&error));
    bool duplicate = false;
    QVERIFY(messages->add(request("persistent"), now() + 50, now(), u"http"_qs, &duplicate, &error));
    QTRY_COMPARE(attempts, 1);
    QCOMPARE(messages->count(), 1); // still waiting
    QTRY_COMPARE_WITH_TIMEOUT(m_published.size(), 1, ScheduledMessages::RetryMs + 3000);
    QCOMPARE(attempts, 2);
    QCOMPARE(messages->count(), 0);
}

void tst_ScheduledMessages::cancelAndChange()
{
    auto messages = schedule();
    QString error;
    QVERIFY(messages->open(&error));
    bool duplicate = false;
    const QString cancelled = messages->add(request("never"), now() + 400, now(), u"http"_qs, &duplicate, &error)->id;
    const QString changed
        = messages->add(request("first words"), now() + 3'600'000, now(), u"http"_qs, &duplicate, &error)->id;
    QSignalSpy changes(messages.get(), &ScheduledMessages::changed);
    QCOMPARE(messages->cancel(cancelled), ScheduledMessages::Outcome::Done);
    QCOMPARE(messages->cancel(cancelled), ScheduledMessages::Outcome::NotFound);
    QCOMPARE(messages->cancel(u"nothing"_qs), ScheduledMessages::Outcome::NotFound);
    PublishRequest better = request("better words");
    QCOMPARE(messages->change(changed, better, now() + 300), ScheduledMessages::Outcome::Done);
    QCOMPARE(changes.size(), 2);
    QTRY_COMPARE(m_published.size(), 1);
    QCOMPARE(m_published.constFirst().request.data, QByteArray("better words"));
    QTest::qWait(300);
    QCOMPARE(m_published.size(), 1); // the cancelled one never went
    QCOMPARE(messages->change(changed, better, now() + 300), ScheduledMessages::Outcome::NotFound);
}

void tst_ScheduledMessages::aRetriedScheduleWithTheSameKeyIsTheSameSchedule()
{
    auto messages = schedule();
    QString error;
    QVERIFY(messages->open(&error));
    PublishRequest keyed = request("once");
    keyed.idempotencyKey = "retry-1";
    bool duplicate = true;
    const auto first = messages->add(keyed, now() + 3'600'000, now(), u"http"_qs, &duplicate, &error);
    QVERIFY(!duplicate);
    const auto again = messages->add(keyed, now() + 7'200'000, now(), u"http"_qs, &duplicate, &error);
    QVERIFY(duplicate);
    QCOMPARE(again->id, first->id);
    QCOMPARE(again->dueAtMs, first->dueAtMs);
    QCOMPARE(messages->count(), 1);
}

void tst_ScheduledMessages::anUnreadableFileStopsTheStartNamingIt()
{
    QFile file(m_file);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[{\"id\": \"cut short");
    file.close();
    auto messages = schedule();
    QString error;
    QVERIFY(!messages->open(&error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(m_file)), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ScheduledMessages)
#include "tst_scheduledmessages.moc"
