#pragma once

#include "messageschedule.h"
#include "publishrequest.h"
#include "serviceconfig.h"
#include "servicetypes.h"

#include <QObject>

#include <mutex>

class HeraldServer;
class HeraldService;
class QThread;

/// Runs a HeraldService on a thread of its own, so that a busy service never freezes a window.
///
/// This is the panel's whole view of the service: a few commands that return at once, and
/// signals that arrive on the host's thread. The host's signals stay connected across restarts.
class ServiceHost : public QObject
{
    Q_OBJECT

public:
    explicit ServiceHost(QObject *parent = nullptr);
    ~ServiceHost() override;

    /// Starts the service on its thread and waits until it listens or has failed.
    bool start(const ServiceConfig &config, QString *errorMessage);
    /// Shuts the service down gracefully and waits for its thread to finish.
    void stop();

    bool isRunning() const { return m_service != nullptr; }
    quint16 port() const { return m_port; }
    /// The HTTPS port, or 0 without HTTPS.
    quint16 tlsPort() const { return m_tlsPort; }
    /// The SHA-256 fingerprint of the HTTPS certificate at start, or empty.
    QString tlsFingerprint() const { return m_tlsFingerprint; }
    /// With --tls-cert auto, the SHA-256 fingerprint of Herald's own authority, or empty.
    QString authorityFingerprint() const { return m_authorityFingerprint; }
    /// Reads the HTTPS certificate's files again (or renews Herald's own); streams stay open.
    void reloadCertificate();
    /// browserUrls() on the HTTPS port; none without HTTPS.
    QStringList httpsUrls() const;
    /// joinUrls() on the HTTPS port; none without HTTPS.
    QStringList httpsJoinUrls() const;
    /// Every URL a browser can use to reach the running service: the local one first, then one
    /// per address of this machine's network interfaces.
    QStringList browserUrls() const;
    /// The URLs a browser joins with: browserUrls(), and on a private Herald each with
    /// ?token= and its reader token, never the token itself.
    QStringList joinUrls() const;
    /// What a publisher link for \a token carries (see AccessPolicy::publisherKey()).
    static QString publisherKey(const QString &token);

    /// A file the panel attaches to a message.
    struct File
    {
        QString name;
        QByteArray content;
    };

    // Commands: each returns at once; results come back as signals.
    /// Publishes; publishFinished() reports the id or the error, tagged with \a tag. With \a file,
    /// the message carries it (kept as an upload is); with \a dueAtMs, it goes on the schedule,
    /// and the result names the schedule.
    void publish(const PublishRequest &request, const QString &origin, int tag = 0, const File &file = {},
                 qint64 dueAtMs = 0);
    /// Takes the scheduled message \a id off the schedule; scheduledChanged() follows.
    void cancelScheduled(const QString &id);
    /// Gives the scheduled message \a id the text \a data and the time \a dueAtMs;
    /// scheduledChanged() follows, or warningRaised() says why not.
    void changeScheduled(const QString &id, const QString &data, qint64 dueAtMs);
    void disconnectClient(const QString &id);
    /// Retracts the retained event \a id; eventRetracted() follows when it was retracted.
    void retract(quint64 id);
    /// Replaces the text and fields of the retained event \a id (see PUT /api/events/<id>);
    /// editFinished() reports the outcome, tagged with \a tag, and eventEdited() follows.
    void edit(quint64 id, const QString &data, const MessageFields &fields, int tag = 0);
    /// Asks for the stream list and the figures; snapshotReady() brings them. With
    /// \a everyNode, a cluster's streams on every node.
    void requestSnapshot(bool everyNode = false);
    /// Applies what can change while running: tokens, history size, heartbeat, retry, CORS
    /// origin and limits. Address and port need a restart.
    void applySettings(const ServiceConfig &config);

    /// For tests and the headless runner, which live next to the service.
    HeraldService *service() const { return m_service; }

Q_SIGNALS:
    void eventPublished(const PublishedEvent &event);
    void eventRetracted(quint64 id);
    void eventEdited(const PublishedEvent &edited);
    void editFinished(int tag, EditOutcome outcome);
    void warningRaised(const QString &message);
    void historyFailed(const QString &message);
    void historyRecovered();
    void publishFinished(int tag, const PublishResult &result);
    void snapshotReady(const QList<StreamInfo> &streams, const ServiceStats &stats);
    /// What waits on the schedule, the soonest first: at start and after every change.
    void scheduledChanged(const QList<ScheduledMessage> &messages);

protected:
    /// Forwards the service's published events once something listens to eventPublished().
    void connectNotify(const QMetaMethod &signal) override;

private:
    void forwardPublished();
    void emitPublished();
    /// \a urls, each with ?token= and the reader token on a private Herald.
    QStringList withReaderToken(QStringList urls) const;

    QThread *m_thread = nullptr;
    HeraldServer *m_server = nullptr; ///< the service with its HTTP front, on m_thread
    HeraldService *m_service = nullptr; ///< the server's
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    QString m_tlsFingerprint;
    QString m_authorityFingerprint;
    QHostAddress m_bindAddress;
    QString m_readToken; ///< what a private service's audience reads with; empty when not private
    std::mutex m_publishedMutex;
    QList<PublishedEvent> m_published; ///< published on the service's thread, not yet emitted here
    QMetaObject::Connection m_forwarding; ///< of the service's eventPublished(), while forwarded
};
