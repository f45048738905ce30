#include "clienttablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

/// The clients table's model: one row per browser across reconnects, states, and batched
/// updates that never reset the model.
class tst_ClientTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void newClientsArriveInOneInsertion();
    void reconnectingBrowserStaysOneRow();
    void goneClientsExpireTogether();
    void tabsOfOneBrowserAreSummed();
    void aClientTheOperatorDisconnectedIsNotShownAsReconnecting();
    void sortRoleOrdersNumbersAsNumbers();
    void thousandsOfClientsUpdateWithoutReset();
    void aStreamOverHttpsSaysSo();

private:
    static StreamInfo client(quint64 connection, const QString &id, quint64 eventsSent = 0);
    QString stateText(int row) const;

    ClientTableModel *m_model = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
    QDateTime m_now;
};

StreamInfo tst_ClientTableModel::client(quint64 connection, const QString &id, quint64 eventsSent)
{
    StreamInfo info;
    info.connection = connection;
    info.clientId = id;
    info.name = u"Device "_qs + id;
    info.address = QHostAddress(u"192.168.1.20"_qs);
    info.userAgent = u"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"_qs;
    info.connectedAt = QDateTime::currentDateTimeUtc();
    info.eventsSent = eventsSent;
    info.bytesSent = eventsSent * 100;
    return info;
}

QString tst_ClientTableModel::stateText(int row) const
{
    return m_model->index(row, ClientTableModel::StateColumn).data().toString();
}

void tst_ClientTableModel::init()
{
    m_model = new ClientTableModel;
    m_tester = new QAbstractItemModelTester(m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_now = QDateTime::currentDateTimeUtc();
}

void tst_ClientTableModel::cleanup()
{
    delete m_tester;
    delete m_model;
}

void tst_ClientTableModel::newClientsArriveInOneInsertion()
{
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    m_model->applySnapshot({client(1, u"a"_qs), client(2, u"b"_qs), client(3, u"c"_qs)}, m_now);
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m_model->index(1, ClientTableModel::NameColumn).data().toString(), u"Device b"_qs);
    QCOMPARE(m_model->index(1, ClientTableModel::BrowserColumn).data().toString(), u"Firefox 121 on Linux"_qs);
    QCOMPARE(m_model->index(1, ClientTableModel::TopicsColumn).data().toString(), u"all"_qs);
}

void tst_ClientTableModel::aStreamOverHttpsSaysSo()
{
    StreamInfo secure = client(1, u"secure"_qs);
    secure.tlsProtocol = u"TLSv1.3"_qs;
    m_model->applySnapshot({secure, client(2, u"plain"_qs)}, m_now);
    const QModelIndex secureAddress = m_model->index(0, ClientTableModel::AddressColumn);
    const QModelIndex plainAddress = m_model->index(1, ClientTableModel::AddressColumn);
    QCOMPARE(secureAddress.data().toString(), u"192.168.1.20 (TLSv1.3)"_qs);
    QCOMPARE(plainAddress.data().toString(), u"192.168.1.20"_qs);
    QVERIFY(secureAddress.data(Qt::ToolTipRole).toString().contains(u"HTTPS"_qs));
    QVERIFY(plainAddress.data(Qt::ToolTipRole).toString().contains(u"not encrypted"_qs));
    QVERIFY(m_model->detailsAt(0).contains(u"TLSv1.3"_qs));
}

void tst_ClientTableModel::reconnectingBrowserStaysOneRow()
{
    m_model->applySnapshot({client(1, u"phone"_qs, 5)}, m_now);
    QCOMPARE(stateText(0), u"Live"_qs);

    // The connection drops: the row stays, marked as reconnecting.
    m_model->applySnapshot({}, m_now.addSecs(1));
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->stateAt(0), ClientTableModel::State::Reconnecting);

    // It comes back on a new connection with the same client id: still one row, live again.
    m_model->applySnapshot({client(7, u"phone"_qs, 6)}, m_now.addSecs(4));
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->stateAt(0), ClientTableModel::State::Live);
    QCOMPARE(m_model->index(0, ClientTableModel::EventsColumn).data(ClientTableModel::SortRole).toULongLong(), 6u);
}

void tst_ClientTableModel::goneClientsExpireTogether()
{
    m_model->setRetention(30, 5);
    m_model->applySnapshot({client(1, u"a"_qs), client(2, u"b"_qs), client(3, u"c"_qs), client(4, u"d"_qs)}, m_now);
    m_model->applySnapshot({client(2, u"b"_qs)}, m_now.addSecs(1));
    QCOMPARE(m_model->rowCount(), 4);
    m_model->applySnapshot({client(2, u"b"_qs)}, m_now.addSecs(20));
    QCOMPARE(m_model->rowCount(), 4);
    m_model->applySnapshot({client(2, u"b"_qs)}, m_now.addSecs(31));
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->clientIdAt(0), u"b"_qs);
    QCOMPARE(m_model->rowOf(u"b"_qs), 0);
    QCOMPARE(m_model->rowOf(u"a"_qs), -1);
}

void tst_ClientTableModel::tabsOfOneBrowserAreSummed()
{
    m_model->applySnapshot({client(1, u"laptop"_qs, 3), client(2, u"laptop"_qs, 4)}, m_now);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->index(0, ClientTableModel::EventsColumn).data(ClientTableModel::SortRole).toULongLong(), 7u);
    QVERIFY(stateText(0).contains(u'2'));
}

void tst_ClientTableModel::aClientTheOperatorDisconnectedIsNotShownAsReconnecting()
{
    m_model->setRetention(30, 5);
    m_model->applySnapshot({client(1, u"a"_qs)}, m_now);
    m_model->markDisconnected(u"a"_qs);
    m_model->applySnapshot({}, m_now.addSecs(1));
    QCOMPARE(m_model->stateAt(0), ClientTableModel::State::Disconnected);
    QVERIFY(stateText(0) != u"Reconnecting"_qs);
    m_model->applySnapshot({}, m_now.addSecs(6));
    QCOMPARE(m_model->rowCount(), 0);
}

void tst_ClientTableModel::sortRoleOrdersNumbersAsNumbers()
{
    m_model->applySnapshot({client(1, u"a"_qs, 9), client(2, u"b"_qs, 10)}, m_now);
    const QVariant nine = m_model->index(0, ClientTableModel::EventsColumn).data(ClientTableModel::SortRole);
    const QVariant ten = m_model->index(1, ClientTableModel::EventsColumn).data(ClientTableModel::SortRole);
    QVERIFY(QVariant::compare(nine, ten) == QPartialOrdering::Less);
}

void tst_ClientTableModel::thousandsOfClientsUpdateWithoutReset()
{
    QList<StreamInfo> clients;
    for (int i = 0; i < 5000; ++i)
        clients.append(client(quint64(i + 1), u"c%1"_qs.arg(i)));
    m_model->applySnapshot(clients, m_now);
    QCOMPARE(m_model->rowCount(), 5000);

    for (StreamInfo &info : clients)
        info.eventsSent += 1;
    clients.remove(100, 50);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    m_model->applySnapshot(clients, m_now.addSecs(1));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_model->rowCount(), 5000);
    QCOMPARE(m_model->stateAt(120), ClientTableModel::State::Reconnecting);
    QCOMPARE(m_model->index(4999, ClientTableModel::EventsColumn).data(ClientTableModel::SortRole).toULongLong(), 1u);
}

QTEST_GUILESS_MAIN(tst_ClientTableModel)
#include "tst_clienttablemodel.moc"
