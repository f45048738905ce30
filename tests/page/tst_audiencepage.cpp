#include "httpclient.h"
#include "pagescripts.h"
#include "servicehost.h"
#include "servicestart.h"
#include "testpictures.h"

#include <QApplication>
#include <QBuffer>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>
#include <QWebEngineView>

#include <unistd.h>

/// Herald's audience page in a real browser engine (QtWebEngine's Chromium), against a running
/// service: tabs that share one stream, links, languages, attention and display mode.
class tst_AudiencePage : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void tenTabsShareOneStream();
    void tenTabsOnTenTopicsShareOneStreamAndEachShowsItsOwn();
    void closingTheLeadingTabHandsTheStreamOn();
    void freezingTheLeadingTabHandsTheStreamOn();
    void aKickReachesEveryTabAndOutlivesAHandOver();
    void everyTabFollowsHeraldThroughARestartThatLostItsHistory();
    void aTabOpenedLaterShowsTheRecentMessages();
    void aTabOpenedWhileMessagesPourInShowsEachOnce();
    void withoutBroadcastChannelEachTabHasItsOwnStream();
    void addressesBecomeLinksAndNothingElseBecomesMarkup();
    void thePageSpeaksTheReadersLanguage_data();
    void thePageSpeaksTheReadersLanguage();
    void displayModeShowsOnlyTheLatestMessageAsLargeAsFits();
    void aHiddenTabCountsUnreadMessagesInItsTitle();
    void theToneIsOptInAndMadeWithWebAudio();
    void aRetractedMessageLeavesEveryTab();
    void onlyTheOperatorsPageCanPublish();
    void aRichMessageShowsItsTitleTagsPriorityAndClick();
    void markdownIsRenderedAndHostileMarkdownStaysInert();
    void anUrgentMessageTakesTheDisplayUntilANewerOne();
    void anEditReplacesTheMessageInPlaceAndAfterAReload();
    void aPictureIsShownAndOtherFilesAreDownloadRows();
    void displayModeShowsAPictureFullScreenWithItsTextBelow();
    void thePublisherPageSendsAPhotoFromTheCameraOrTheGallery();
    void aScheduledMessageAppearsAtItsTime();

private:
    bool startService(quint16 port, const QString &token = {});
    QUrl url(const QString &pathAndQuery) const;
    QWebEnginePage *openTab(const QString &pathAndQuery = u"/"_qs);
    bool openTabs(int count);
    /// Opens the tabs and publishes a first message, which each shows once; returns the leader.
    QWebEnginePage *openTabsAroundOneLeader(int count, const QString &firstMessage);
    static QVariant evaluate(QWebEnginePage *page, const QString &script);
    /// Opens the page in display mode in \a view, sized as a lobby screen, 1280x720.
    QWebEnginePage *openDisplay(QWebEngineView &view);
    static bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 60000);
    static QString role(QWebEnginePage *page);
    static QString state(QWebEnginePage *page);
    static bool everyTabIsIn(const QList<QWebEnginePage *> &tabs, const QString &state);
    static QStringList shownTexts(QWebEnginePage *page);
    QList<QWebEnginePage *> leaders() const;
    bool publish(const QString &text, const QJsonObject &extra = {});
    /// Uploads \a content as the file \a name with \a text, as ntfy's clients do.
    bool upload(const QString &text, const QByteArray &content, const QByteArray &name);
    int streamsOf(const QString &clientId) const;
    QString clientIdOf(QWebEnginePage *page) const;
    /// Every tab shows exactly the messages published since \a first, newest first, each once.
    bool showsEveryMessageOnce(QWebEnginePage *page, qsizetype first = 0);
    bool everyTabShowsEveryMessageOnce(const QList<QWebEnginePage *> &tabs);
    /// The tab shows the newest \a atLeast messages or more, newest first, each once, with none missing between.
    bool showsTheLatestMessagesOnce(QWebEnginePage *page, qsizetype atLeast);

    std::unique_ptr<ServiceHost> m_host;
    QWebEngineProfile *m_profile = nullptr;
    QList<QWebEnginePage *> m_tabs;
    QStringList m_published;
};

bool tst_AudiencePage::startService(quint16 port, const QString &token)
{
    ServiceConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = port;
    config.token = token;
    return startHost(m_host, config);
}

void tst_AudiencePage::init()
{
    QVERIFY(startService(0));
    m_profile = new QWebEngineProfile(this); // off the record: its own localStorage and BroadcastChannel
    // The page as a reader on the LAN has it, at http://192.168.…, which is no secure context: no
    // Web Locks, so the tabs elect their leader by heartbeats. (127.0.0.1 counts as secure; the
    // page over HTTPS, where a lock elects, is tst_securepage's.)
    runInEveryPage(m_profile, u"as on the LAN"_qs, u"delete Navigator.prototype.locks;"_qs);
    m_published.clear();
}

void tst_AudiencePage::cleanup()
{
    qDeleteAll(m_tabs);
    m_tabs.clear();
    delete m_profile;
    m_profile = nullptr;
    m_host.reset();
}

QUrl tst_AudiencePage::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_host->port()).arg(pathAndQuery));
}

QWebEnginePage *tst_AudiencePage::openTab(const QString &pathAndQuery)
{
    auto *page = new QWebEnginePage(m_profile);
    m_tabs.append(page);
    page->load(url(pathAndQuery));
    return page;
}

// Opens one tab, then the others at once, as a browser restoring its session does, and waits
// until all are live. The first one gives the browser its client id.
bool tst_AudiencePage::openTabs(int count)
{
    QList<QWebEnginePage *> opened{openTab()};
    if (!waitUntil([&] { return state(opened.first()) == u"live"_qs; }))
        return false;
    for (int i = 1; i < count; ++i)
        opened.append(openTab());
    return waitUntil([&] { return everyTabIsIn(opened, u"live"_qs); });
}

QWebEnginePage *tst_AudiencePage::openDisplay(QWebEngineView &view)
{
    view.resize(1280, 720);
    view.show();
    view.page()->load(url(u"/?view=display"_qs));
    return view.page();
}

QVariant tst_AudiencePage::evaluate(QWebEnginePage *page, const QString &script)
{
    return evaluateInPage(page, script);
}

bool tst_AudiencePage::waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    return waitUntilTrue(condition, timeoutMs);
}

QString tst_AudiencePage::role(QWebEnginePage *page)
{
    return evaluate(page, u"document.documentElement.dataset.streamRole"_qs).toString();
}

QString tst_AudiencePage::state(QWebEnginePage *page)
{
    return evaluate(page, u"document.getElementById('state')?.dataset.state"_qs).toString();
}

bool tst_AudiencePage::everyTabIsIn(const QList<QWebEnginePage *> &tabs, const QString &wanted)
{
    return std::all_of(tabs.cbegin(), tabs.cend(), [&](QWebEnginePage *tab) { return state(tab) == wanted; });
}

QStringList tst_AudiencePage::shownTexts(QWebEnginePage *page)
{
    return evaluate(page, u"Array.from(document.querySelectorAll('#events .text'), e => e.textContent)"_qs)
        .toStringList();
}

QList<QWebEnginePage *> tst_AudiencePage::leaders() const
{
    QList<QWebEnginePage *> found;
    for (QWebEnginePage *page : m_tabs) {
        if (page->lifecycleState() == QWebEnginePage::LifecycleState::Active && role(page) == u"leader"_qs)
            found.append(page);
    }
    return found;
}

bool tst_AudiencePage::publish(const QString &text, const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(u"data"_qs, text);
    const HttpReply reply = httpRequest("POST", url(u"/publish"_qs), QJsonDocument(body).toJson(),
                                        {{"Content-Type", "application/json"}});
    if (reply.status != 200) {
        qWarning() << "publish answered" << reply.status << reply.body;
        return false;
    }
    m_published.append(text);
    return true;
}

bool tst_AudiencePage::upload(const QString &text, const QByteArray &content, const QByteArray &name)
{
    const HttpReply reply
        = httpRequest("PUT", url(u"/files"_qs), content, {{"Filename", name}, {"Message", text.toUtf8()}});
    if (reply.status != 200) {
        qWarning() << "upload answered" << reply.status << reply.body;
        return false;
    }
    m_published.append(text);
    return true;
}

int tst_AudiencePage::streamsOf(const QString &clientId) const
{
    const QJsonArray clients = httpRequest("GET", url(u"/api/clients"_qs)).json().array();
    return int(std::count_if(clients.begin(), clients.end(),
                             [&](const QJsonValue &client) { return client[u"id"_qs].toString() == clientId; }));
}

QString tst_AudiencePage::clientIdOf(QWebEnginePage *page) const
{
    return evaluate(page, u"localStorage.getItem('herald.client')"_qs).toString();
}

bool tst_AudiencePage::showsEveryMessageOnce(QWebEnginePage *page, qsizetype first)
{
    QStringList expected = m_published.mid(first);
    std::reverse(expected.begin(), expected.end());
    return shownTexts(page) == expected;
}

bool tst_AudiencePage::showsTheLatestMessagesOnce(QWebEnginePage *page, qsizetype atLeast)
{
    const QStringList shown = shownTexts(page);
    return shown.size() >= atLeast && showsEveryMessageOnce(page, m_published.size() - shown.size());
}

bool tst_AudiencePage::everyTabShowsEveryMessageOnce(const QList<QWebEnginePage *> &tabs)
{
    return waitUntil([&] {
        return std::all_of(tabs.cbegin(), tabs.cend(), [&](QWebEnginePage *tab) { return showsEveryMessageOnce(tab); });
    });
}

void tst_AudiencePage::tenTabsShareOneStream()
{
    QVERIFY(openTabs(10)); // the seventh and later tabs load at all: one connection is held, not ten
    const QString clientId = clientIdOf(m_tabs.first());
    QVERIFY(!clientId.isEmpty());
    for (QWebEnginePage *tab : std::as_const(m_tabs))
        QCOMPARE(clientIdOf(tab), clientId);

    QVERIFY(waitUntil([&] { return streamsOf(clientId) == 1 && leaders().size() == 1; }));
    QVERIFY(publish(u"one stream, ten tabs"_qs));
    QVERIFY(publish(u"and a second message"_qs));
    QVERIFY(everyTabShowsEveryMessageOnce(m_tabs));
    QCOMPARE(streamsOf(clientId), 1);
    QCOMPARE(leaders().size(), 1);
}

void tst_AudiencePage::tenTabsOnTenTopicsShareOneStreamAndEachShowsItsOwn()
{
    // Six connections per host is all a browser holds on plain HTTP: ten streams, one per topic,
    // would leave four tabs loading for ever.
    QWebEnginePage *first = openTab(u"/?topic=t0"_qs);
    QVERIFY(waitUntil([&] { return state(first) == u"live"_qs; }));
    QVERIFY(publish(u"t0 before the others"_qs, {{u"topic"_qs, u"t0"_qs}}));
    QVERIFY(waitUntil([&] { return shownTexts(first) == QStringList{u"t0 before the others"_qs}; }));
    for (int i = 1; i < 10; ++i)
        openTab(u"/?topic=t%1"_qs.arg(i));
    QVERIFY(waitUntil([&] { return everyTabIsIn(m_tabs, u"live"_qs); }));
    const QString clientId = clientIdOf(first);
    for (QWebEnginePage *tab : std::as_const(m_tabs))
        QCOMPARE(clientIdOf(tab), clientId);

    // One stream, for every tab's topic.
    QStringList everyTopic;
    for (int i = 0; i < 10; ++i)
        everyTopic.append(u"t%1"_qs.arg(i));
    const auto streamTopics = [&] {
        const QJsonArray clients = httpRequest("GET", url(u"/api/clients"_qs)).json().array();
        QStringList topics;
        for (const QJsonValue &client : clients) {
            if (client[u"id"_qs].toString() == clientId)
                topics = client[u"topics"_qs].toVariant().toStringList();
        }
        topics.sort();
        return topics;
    };
    QVERIFY(
        waitUntil([&] { return streamsOf(clientId) == 1 && leaders().size() == 1 && streamTopics() == everyTopic; }));

    for (int i = 0; i < 10; ++i)
        QVERIFY(publish(u"for t%1"_qs.arg(i), {{u"topic"_qs, u"t%1"_qs.arg(i)}}));
    QVERIFY(publish(u"for every tab"_qs));
    for (int i = 0; i < 10; ++i) {
        QStringList expected{u"for every tab"_qs, u"for t%1"_qs.arg(i)};
        if (i == 0) // the stream opened again for the others' topics, and missed and repeated nothing
            expected.append(u"t0 before the others"_qs);
        QVERIFY2(waitUntil([&] { return shownTexts(m_tabs.at(i)) == expected; }),
                 qPrintable(shownTexts(m_tabs.at(i)).join(u" | "_qs)));
    }
    QCOMPARE(streamsOf(clientId), 1);
}

QWebEnginePage *tst_AudiencePage::openTabsAroundOneLeader(int count, const QString &firstMessage)
{
    if (!openTabs(count) || !waitUntil([&] { return leaders().size() == 1; }) || !publish(firstMessage)
        || !everyTabShowsEveryMessageOnce(m_tabs)) {
        return nullptr;
    }
    return leaders().first();
}

void tst_AudiencePage::closingTheLeadingTabHandsTheStreamOn()
{
    QWebEnginePage *leader = openTabsAroundOneLeader(10, u"before the leader closes"_qs);
    QVERIFY(leader);
    const QString clientId = clientIdOf(leader);

    // Deleting a page runs no pagehide handler: the others notice that its heartbeats stop.
    m_tabs.removeOne(leader);
    delete leader;
    QVERIFY(publish(u"while nobody leads"_qs)); // reaches the tabs through the next leader's resume
    QVERIFY(waitUntil([&] { return leaders().size() == 1; }));
    QVERIFY(publish(u"after the hand-over"_qs));

    QCOMPARE(m_tabs.size(), 9);
    QVERIFY(everyTabShowsEveryMessageOnce(m_tabs));
    QVERIFY(waitUntil([&] { return streamsOf(clientId) == 1; }));
    QCOMPARE(leaders().size(), 1);
}

void tst_AudiencePage::freezingTheLeadingTabHandsTheStreamOn()
{
    QWebEnginePage *frozen = openTabsAroundOneLeader(10, u"before the freeze"_qs);
    QVERIFY(frozen);
    const QString clientId = clientIdOf(frozen);

    // A frozen tab's stream and timers stop, so it hands the stream on as it freezes.
    frozen->setLifecycleState(QWebEnginePage::LifecycleState::Frozen);
    QCOMPARE(frozen->lifecycleState(), QWebEnginePage::LifecycleState::Frozen);
    QVERIFY(publish(u"while the leader freezes"_qs));
    QVERIFY(waitUntil([&] { return leaders().size() == 1; })); // leaders() asks the active tabs only
    QVERIFY(publish(u"after the hand-over"_qs));
    QList<QWebEnginePage *> active = m_tabs;
    active.removeOne(frozen);
    QVERIFY(everyTabShowsEveryMessageOnce(active));

    // Back again, it follows the new leader and catches up on what it missed, once. (Chromium
    // closes a frozen page's connections only when it resumes, so only then is one stream left.)
    frozen->setLifecycleState(QWebEnginePage::LifecycleState::Active);
    QVERIFY(everyTabShowsEveryMessageOnce({frozen}));
    QCOMPARE(role(frozen), u"follower"_qs);
    QVERIFY(publish(u"after the resume"_qs));
    QVERIFY(everyTabShowsEveryMessageOnce(m_tabs));
    QVERIFY(waitUntil([&] { return streamsOf(clientId) == 1; }));
    QCOMPARE(leaders().size(), 1);
}

void tst_AudiencePage::aKickReachesEveryTabAndOutlivesAHandOver()
{
    QWebEnginePage *leader = openTabsAroundOneLeader(3, u"before the kick"_qs);
    QVERIFY(leader);
    const QString clientId = clientIdOf(leader);
    QCOMPARE(httpRequest("DELETE", url(u"/api/clients/"_qs + clientId)).status, 204);
    QVERIFY(waitUntil([&] { return everyTabIsIn(m_tabs, u"kicked"_qs); }));

    // The tab that takes over from a closed leader does not undo the operator's kick.
    m_tabs.removeOne(leader);
    delete leader;
    QVERIFY(waitUntil([&] { return leaders().size() == 1; }));
    QCOMPARE(streamsOf(clientId), 0);
    QVERIFY(everyTabIsIn(m_tabs, u"kicked"_qs));

    // The reader's Reconnect, in any tab, brings the one stream back for all.
    QWebEnginePage *follower = m_tabs.first() == leaders().first() ? m_tabs.last() : m_tabs.first();
    evaluate(follower, u"document.getElementById('reconnect').click()"_qs);
    QVERIFY(waitUntil([&] { return everyTabIsIn(m_tabs, u"live"_qs); }));
    QVERIFY(waitUntil([&] { return streamsOf(clientId) == 1; }));
    QVERIFY(publish(u"after the reconnect"_qs));
    QVERIFY(everyTabShowsEveryMessageOnce(m_tabs));
}

void tst_AudiencePage::everyTabFollowsHeraldThroughARestartThatLostItsHistory()
{
    QVERIFY(openTabsAroundOneLeader(3, u"before the restart"_qs));
    const quint16 port = m_host->port();
    m_host.reset(); // its history was in memory only: the next Herald counts ids from 1 again
    QVERIFY(waitUntil([&] {
        return std::all_of(m_tabs.cbegin(), m_tabs.cend(), [](QWebEnginePage *tab) {
            return state(tab) == u"reconnecting"_qs
                && evaluate(tab, u"document.getElementById('state').textContent"_qs)
                       .toString()
                       .contains(u"Herald stopped"_qs);
        });
    }));

    QVERIFY(startService(port));
    QVERIFY(waitUntil([&] { return everyTabIsIn(m_tabs, u"live"_qs); }));
    // Its first message has the id the one before the restart had, and still shows, once.
    QVERIFY(publish(u"after the restart"_qs));
    QVERIFY(everyTabShowsEveryMessageOnce(m_tabs));
}

void tst_AudiencePage::aTabOpenedLaterShowsTheRecentMessages()
{
    QWebEnginePage *first = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(first), u"live"_qs, 30000);
    const int pageHistory = evaluate(first, u"Number(document.documentElement.dataset.pageHistory)"_qs).toInt();
    QVERIFY(pageHistory > 0);
    for (int i = 1; i <= pageHistory + 5; ++i)
        QVERIFY(publish(u"message %1"_qs.arg(i)));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(first), 30000);

    // The late tab follows, and shows what a page opening on its own would: the operator's
    // number of recent messages, newest first.
    QWebEnginePage *late = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(late), u"live"_qs, 30000);
    QCOMPARE(role(late), u"follower"_qs);
    const qsizetype recent = m_published.size() - pageHistory;
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(late, recent), 30000);

    // Reloaded, it shows the same again, each once.
    QSignalSpy reloaded(late, &QWebEnginePage::loadFinished);
    late->triggerAction(QWebEnginePage::Reload);
    QVERIFY(reloaded.wait(30000));
    QTRY_COMPARE_WITH_TIMEOUT(state(late), u"live"_qs, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(late, recent), 30000);
    QVERIFY(publish(u"one more"_qs));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(late, recent), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(first), 30000);
}

void tst_AudiencePage::aTabOpenedWhileMessagesPourInShowsEachOnce()
{
    QWebEnginePage *first = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(first), u"live"_qs, 30000);
    const int pageHistory = evaluate(first, u"Number(document.documentElement.dataset.pageHistory)"_qs).toInt();

    // A message can reach the new tab both from the leader's hand-over and as it is relayed.
    QWebEnginePage *late = openTab();
    for (int sent = 1; sent <= 300 && (sent <= pageHistory || state(late) != u"live"_qs); ++sent)
        QVERIFY(publish(u"pouring %1"_qs.arg(sent)));
    for (int sent = 1; sent <= 10; ++sent)
        QVERIFY(publish(u"after the tab opened %1"_qs.arg(sent)));
    QCOMPARE(role(late), u"follower"_qs);
    QVERIFY(waitUntil([&] { return showsTheLatestMessagesOnce(late, pageHistory); }));
    QVERIFY(waitUntil([&] { return showsEveryMessageOnce(first); }));
}

void tst_AudiencePage::withoutBroadcastChannelEachTabHasItsOwnStream()
{
    runInEveryPage(m_profile, u"without BroadcastChannel"_qs, u"delete window.BroadcastChannel;"_qs);

    QVERIFY(openTabs(2));
    for (QWebEnginePage *tab : std::as_const(m_tabs)) {
        QCOMPARE(evaluate(tab, u"typeof BroadcastChannel"_qs).toString(), u"undefined"_qs);
        QCOMPARE(role(tab), u"solo"_qs);
    }
    QTRY_COMPARE_WITH_TIMEOUT(streamsOf(clientIdOf(m_tabs.first())), 2, 30000);
    QVERIFY(publish(u"each tab on its own"_qs));
    QVERIFY(everyTabShowsEveryMessageOnce(m_tabs));
}

void tst_AudiencePage::addressesBecomeLinksAndNothingElseBecomesMarkup()
{
    QWebEnginePage *page = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);

    const QString withLinks = u"Agenda: https://example.com/agenda?day=1&room=2. The map "
                              "(https://en.wikipedia.org/wiki/Foo_(bar)), and http://192.168.1.20:8080/ too"_qs;
    const QStringList hostile = {
        u"<img src=x onerror=\"window.pwned=1\">"_qs,
        u"</script><script>window.pwned=2</script>"_qs,
        u"javascript:window.pwned=3"_qs,
        u"JavaScript:alert(1) and data:text/html,<script>window.pwned=4</script>"_qs,
        u"<a href=\"javascript:window.pwned=5\">click me</a>"_qs,
        u"https://example.com/\"onmouseover=\"window.pwned=6"_qs,
    };
    QVERIFY(publish(withLinks));
    for (const QString &text : hostile)
        QVERIFY(publish(text));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(page), 30000); // every message reads exactly as sent

    // The addresses are links, as written, opening in a new tab without telling where from.
    const QJsonArray links = QJsonDocument::fromJson(evaluate(page, uR"(JSON.stringify(
        Array.from(document.querySelectorAll('#events a'), a => ({
            href: a.href, text: a.textContent, rel: a.rel, target: a.target,
            attributes: a.getAttributeNames().sort().join(' '),
            message: a.closest('.event').querySelector('.text').textContent }))))"_qs)
                                                         .toString()
                                                         .toUtf8())
                                 .array();
    QJsonArray expected;
    auto link = [&](const QString &href, const QString &text, const QString &message) {
        expected.append(QJsonObject{{u"href"_qs, href},
                                    {u"text"_qs, text},
                                    {u"rel"_qs, u"noopener noreferrer"_qs},
                                    {u"target"_qs, u"_blank"_qs},
                                    {u"attributes"_qs, u"href rel target"_qs},
                                    {u"message"_qs, message}});
    };
    // Newest message first, links in reading order within each.
    link(u"https://example.com/"_qs, u"https://example.com/"_qs, hostile.last());
    link(u"https://example.com/agenda?day=1&room=2"_qs, u"https://example.com/agenda?day=1&room=2"_qs, withLinks);
    link(u"https://en.wikipedia.org/wiki/Foo_(bar)"_qs, u"https://en.wikipedia.org/wiki/Foo_(bar)"_qs, withLinks);
    link(u"http://192.168.1.20:8080/"_qs, u"http://192.168.1.20:8080/"_qs, withLinks);
    QCOMPARE(links, expected);

    // Nothing else became an element, and no script ran.
    QCOMPARE(evaluate(page, u"document.querySelectorAll('#events .text *:not(a), #events a *').length"_qs).toInt(), 0);
    QTest::qWait(200); // give an injected image the chance to fail and fire its handler
    QCOMPARE(evaluate(page, u"typeof window.pwned"_qs).toString(), u"undefined"_qs);
}

void tst_AudiencePage::thePageSpeaksTheReadersLanguage_data()
{
    QTest::addColumn<QString>("acceptLanguage");
    QTest::addColumn<QString>("pageLanguage");

    QTest::newRow("Simplified Chinese") << u"zh-CN,zh;q=0.9"_qs << u"zh-CN"_qs;
    QTest::newRow("Chinese after a language the page lacks") << u"fr-FR,zh-TW;q=0.8,en;q=0.5"_qs << u"zh-CN"_qs;
    QTest::newRow("English") << u"en-GB,en;q=0.9"_qs << u"en"_qs;
    QTest::newRow("English when nothing else fits") << u"fr-FR,de;q=0.8"_qs << u"en"_qs;
}

void tst_AudiencePage::thePageSpeaksTheReadersLanguage()
{
    QFETCH(QString, acceptLanguage);
    QFETCH(QString, pageLanguage);
    m_profile->setHttpAcceptLanguage(acceptLanguage);
    QWebEnginePage *page = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    QCOMPARE(evaluate(page, u"document.documentElement.lang"_qs).toString(), pageLanguage);

    // A message for this browser alone carries a tag saying so, in the page's language too.
    QVERIFY(publish(u"你好 hello"_qs, {{u"to"_qs, clientIdOf(page)}}));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(page), 30000);

    // Everything the page says, with the settings open: text, placeholders, labels and tooltips,
    // less the message itself and Herald's name.
    const QString pageWords = evaluate(page, uR"(
        document.getElementById('settings').open = true;
        [document.body.innerText,
         ...Array.from(document.querySelectorAll('[placeholder]'), e => e.placeholder),
         ...Array.from(document.querySelectorAll('[aria-label]'), e => e.getAttribute('aria-label')),
         ...Array.from(document.querySelectorAll('[title]'), e => e.title)].join('\n'))"_qs)
                                  .toString()
                                  .remove(u"你好 hello"_qs)
                                  .remove(u"Herald"_qs);
    const QRegularExpression latinWord(u"[A-Za-z]{2,}"_qs);
    const QRegularExpression chinese(u"\\p{Han}"_qs);
    if (pageLanguage == u"zh-CN"_qs) {
        QVERIFY2(!latinWord.match(pageWords).hasMatch(), qPrintable(pageWords));
        QVERIFY2(chinese.match(pageWords).hasMatch(), qPrintable(pageWords));
    } else {
        QVERIFY2(latinWord.match(pageWords).hasMatch(), qPrintable(pageWords));
        QVERIFY2(!chinese.match(pageWords).hasMatch(), qPrintable(pageWords));
    }
}

void tst_AudiencePage::displayModeShowsOnlyTheLatestMessageAsLargeAsFits()
{
    QWebEngineView view(m_profile);
    QWebEnginePage *page = openDisplay(view);
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);

    // What is on the screen: the messages and controls that take up room, where the words of the
    // message are, and the connection indicator.
    const QString describeScreen = uR"(JSON.stringify((() => {
        const shown = (e) => e.getClientRects().length > 0;
        const messages = Array.from(document.querySelectorAll('#events .event')).filter(shown);
        const text = messages[0]?.querySelector('.text');
        const words = document.createRange();
        if (text) words.selectNodeContents(text);
        const box = text ? words.getBoundingClientRect() : null;
        const indicator = document.getElementById('state').getBoundingClientRect();
        return {
            messages: messages.map((e) => e.querySelector('.text').textContent),
            controls: Array.from(document.querySelectorAll('h1, h2, summary, label, input, textarea, button, select, .meta, #notice')).filter(shown).length,
            width: innerWidth, height: innerHeight,
            words: box && { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
            overflowing: !!text && text.scrollWidth > text.clientWidth,
            indicator: { state: document.getElementById('state').dataset.state, area: indicator.width * indicator.height },
        };
    })()))"_qs;
    QJsonObject screen;
    auto fitsTheScreen = [&](const QString &message, QSize size) {
        screen = QJsonDocument::fromJson(evaluate(page, describeScreen).toString().toUtf8()).object();
        const QJsonObject words = screen[u"words"_qs].toObject();
        const double width = screen[u"width"_qs].toDouble();
        const double height = screen[u"height"_qs].toDouble();
        const double left = words[u"left"_qs].toDouble(), right = words[u"right"_qs].toDouble();
        const double top = words[u"top"_qs].toDouble(), bottom = words[u"bottom"_qs].toDouble();
        // As large as fits: the words fill the screen's width or its height, near enough.
        const double filled = std::max((right - left) / width, (bottom - top) / height);
        const QJsonObject indicator = screen[u"indicator"_qs].toObject();
        return screen[u"messages"_qs].toArray() == QJsonArray{message} && screen[u"controls"_qs].toInt() == 0
            && width == size.width() && height == size.height() && left >= 0 && top >= 0 && right <= width
            && bottom <= height && !screen[u"overflowing"_qs].toBool() && filled > 0.6
            && indicator[u"state"_qs].toString() == u"live"_qs && indicator[u"area"_qs].toDouble() > 0
            && indicator[u"area"_qs].toDouble() < width * height / 100;
    };

    const QStringList messages
        = {u"Welcome"_qs, u"Doors open at 9:30"_qs, u"Lunch is served in the atrium"_qs,
           QString(u"A longer announcement that has to wrap over several lines to fit. "_qs).repeated(6)};
    for (const QString &message : messages) {
        QVERIFY(publish(message));
        for (const QSize size : {QSize(1280, 720), QSize(390, 844)}) { // the screen, and a phone held upright
            view.resize(size);
            QTRY_VERIFY2_WITH_TIMEOUT(fitsTheScreen(message, size), QJsonDocument(screen).toJson().constData(), 30000);
        }
    }
}

void tst_AudiencePage::aHiddenTabCountsUnreadMessagesInItsTitle()
{
    QWebEnginePage *page = openTab();
    page->setVisible(true);
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    QCOMPARE(page->title(), u"Herald"_qs);

    page->setVisible(false);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(page, u"document.visibilityState"_qs).toString(), u"hidden"_qs, 30000);
    for (const QString &text : {u"one"_qs, u"two"_qs, u"three"_qs})
        QVERIFY(publish(text));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(page), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(page->title(), u"(3) Herald"_qs, 30000);

    // Seen, they are read; a message arriving while the tab is in view adds nothing.
    page->setVisible(true);
    QTRY_COMPARE_WITH_TIMEOUT(page->title(), u"Herald"_qs, 30000);
    QVERIFY(publish(u"four"_qs));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(page), 30000);
    QCOMPARE(evaluate(page, u"document.title"_qs).toString(), u"Herald"_qs);
}

void tst_AudiencePage::theToneIsOptInAndMadeWithWebAudio()
{
    // Count the tones the page starts and the vibrations it asks for, without changing either.
    QWebEngineScript counters;
    counters.setInjectionPoint(QWebEngineScript::DocumentCreation);
    counters.setWorldId(QWebEngineScript::MainWorld);
    counters.setSourceCode(uR"(
        window.tones = 0;
        window.vibrations = 0;
        const start = OscillatorNode.prototype.start;
        OscillatorNode.prototype.start = function (...when) { window.tones += 1; return start.apply(this, when); };
        navigator.vibrate = () => { window.vibrations += 1; return true; };)"_qs);
    m_profile->scripts()->insert(counters);

    QWebEngineView view(m_profile);
    view.resize(390, 844);
    view.show();
    QWebEnginePage *page = view.page();
    page->load(url(u"/"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    QVERIFY(publish(u"before the tone is on"_qs));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(page), 30000);
    QCOMPARE(evaluate(page, u"window.tones + window.vibrations"_qs).toInt(), 0);

    // Browsers play sound only after a gesture, so the reader's own click turns the tone on.
    auto click = [&](const QString &selector) {
        const QVariantList box = evaluate(page, uR"((() => {
            const box = document.querySelector('%1').getBoundingClientRect();
            return [box.left + box.width / 2, box.top + box.height / 2]; })())"_qs.arg(selector))
                                     .toList();
        QTest::mouseClick(view.focusProxy(), Qt::LeftButton, {}, QPoint(box.value(0).toInt(), box.value(1).toInt()));
    };
    click(u"#settings summary"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, u"document.getElementById('settings').open"_qs).toBool(), 30000);
    click(u"#sound"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, u"document.getElementById('sound').checked"_qs).toBool(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(page, u"window.tones"_qs).toInt(), 1, 30000); // a sample of it
    QCOMPARE(evaluate(page, u"localStorage.getItem('herald.sound')"_qs).toString(), u"on"_qs);

    QVERIFY(publish(u"with the tone on"_qs));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(page), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(page, u"window.tones"_qs).toInt(), 2, 30000);
    QCOMPARE(evaluate(page, u"window.vibrations"_qs).toInt(), 1);
    QCOMPARE(evaluate(page, u"document.querySelectorAll('audio, video').length"_qs).toInt(), 0);

    click(u"#sound"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(!evaluate(page, u"document.getElementById('sound').checked"_qs).toBool(), 30000);
    QVERIFY(publish(u"with the tone off again"_qs));
    QTRY_VERIFY_WITH_TIMEOUT(showsEveryMessageOnce(page), 30000);
    QCOMPARE(evaluate(page, u"window.tones + window.vibrations"_qs).toInt(), 3);
}

void tst_AudiencePage::aRichMessageShowsItsTitleTagsPriorityAndClick()
{
    QWebEnginePage *page = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    const QJsonObject lunchFields{{u"title"_qs, u"Lunch"_qs},
                                  {u"tags"_qs, QJsonArray{u"pizza"_qs, u"tada"_qs, u"kitchen-2"_qs}},
                                  {u"priority"_qs, 4},
                                  {u"click"_qs, u"https://example.com/menu"_qs}};
    const QJsonObject minFields{{u"priority"_qs, u"min"_qs}};
    const QJsonObject urgentFields{{u"priority"_qs, 5}, {u"click"_qs, u"mailto:desk@example.com"_qs}};
    QVERIFY(publish(u"Pizza is here"_qs, lunchFields));
    QVERIFY(publish(u"fyi"_qs, minFields));
    QVERIFY(publish(u"Fire drill"_qs, urgentFields));
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(page).size(), 3, 30000);
    const QJsonArray shown = QJsonDocument::fromJson(evaluate(page, uR"(JSON.stringify(
        Array.from(document.querySelectorAll('#events .event'), e => ({
            priority: e.dataset.priority,
            title: e.querySelector('.title')?.textContent ?? null,
            emoji: Array.from(e.querySelectorAll('.emoji'), t => t.textContent + '=' + t.title),
            chips: Array.from(e.querySelectorAll('.chip'), t => t.textContent),
            open: e.querySelector('a.open')?.href ?? null,
            rel: e.querySelector('a.open')?.rel ?? null }))))"_qs)
                                                         .toString()
                                                         .toUtf8())
                                 .array();
    QCOMPARE(shown.size(), 3);
    const QJsonObject urgent = shown.at(0).toObject(), muted = shown.at(1).toObject(), lunch = shown.at(2).toObject();
    QCOMPARE(lunch.value(u"priority"_qs).toString(), u"4"_qs);
    QCOMPARE(lunch.value(u"title"_qs).toString(), u"Lunch"_qs);
    // Tags that are emoji short codes show as the emoji of Debian's emoji data; others as chips.
    QCOMPARE(lunch.value(u"emoji"_qs).toArray(), (QJsonArray{u"🍕=pizza"_qs, u"🎉=tada"_qs}));
    QCOMPARE(lunch.value(u"chips"_qs).toArray(), QJsonArray{u"kitchen-2"_qs});
    QCOMPARE(lunch.value(u"open"_qs).toString(), u"https://example.com/menu"_qs);
    QCOMPARE(lunch.value(u"rel"_qs).toString(), u"noopener noreferrer"_qs);
    QCOMPARE(muted.value(u"priority"_qs).toString(), u"1"_qs);
    QVERIFY(muted.value(u"title"_qs).isNull());
    QVERIFY(muted.value(u"open"_qs).isNull());
    QCOMPARE(urgent.value(u"priority"_qs).toString(), u"5"_qs);
    QCOMPARE(urgent.value(u"open"_qs).toString(), u"mailto:desk@example.com"_qs);
    // Muted is fainter, urgent is red.
    QVERIFY(evaluate(page, u"Number(getComputedStyle(document.querySelectorAll('#events .event')[1]).opacity)"_qs)
                .toDouble()
            < 1);
    QCOMPARE(evaluate(page, u"getComputedStyle(document.querySelector('#events .event .text')).color"_qs).toString(),
             evaluate(page, uR"((() => { const probe = document.createElement('span');
                 probe.style.color = 'var(--bad)'; document.body.append(probe);
                 const color = getComputedStyle(probe).color; probe.remove(); return color; })())"_qs)
                 .toString());

    // A click on the message opens its URL, as its link would.
    evaluate(page,
             u"window.opened = []; window.open = (...args) => window.opened.push(args); "
             "HTMLAnchorElement.prototype.click = function () { window.opened.push([this.href]); }"_qs);
    evaluate(page, u"document.querySelectorAll('#events .event')[2].querySelector('.text').click()"_qs);
    QCOMPARE(evaluate(page, u"JSON.stringify(window.opened)"_qs).toString(), u"[[\"https://example.com/menu\"]]"_qs);
}

void tst_AudiencePage::markdownIsRenderedAndHostileMarkdownStaysInert()
{
    QWebEnginePage *page = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    const QJsonObject markdown{{u"markdown"_qs, true}};
    QVERIFY(
        publish(u"**Doors** open at *10*\n\n- hall A\n- hall B\n\n[the map](https://example.com/map)"_qs, markdown));
    const QStringList hostile = {
        u"<img src=x onerror=\"window.pwned=1\">"_qs,      u"<script>window.pwned=2</script>"_qs,
        u"[click](javascript:window.pwned=3)"_qs,          u"[data](data:text/html,<script>window.pwned=4</script>)"_qs,
        u"![a map](https://elsewhere.example/map.png)"_qs, u"![inline](data:image/png;base64,iVBORw0KGgo=)"_qs,
        u"<a href=\"javascript:window.pwned=5\">x</a>"_qs,
    };
    for (const QString &text : hostile)
        QVERIFY(publish(text, markdown));
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(page).size(), 1 + hostile.size(), 30000);

    const QString rendered
        = evaluate(page, u"document.querySelectorAll('#events .event')[7].querySelector('.text').innerHTML"_qs)
              .toString();
    QVERIFY2(rendered.contains(u"<strong>Doors</strong>"_qs), qPrintable(rendered));
    QVERIFY2(rendered.contains(u"<em>10</em>"_qs), qPrintable(rendered));
    QVERIFY2(rendered.contains(u"<li>hall A</li>"_qs), qPrintable(rendered));
    QCOMPARE(evaluate(page,
                      u"(() => { const a = document.querySelectorAll('#events .event')[7].querySelector('.text a');"
                      " return [a.href, a.textContent, a.target, a.rel].join(' '); })()"_qs)
                 .toString(),
             u"https://example.com/map the map _blank noopener noreferrer"_qs);

    // Raw HTML shows as text; unsafe links are no links; an image is a link to it, never loaded.
    const QJsonArray links
        = QJsonDocument::fromJson(evaluate(page,
                                           u"JSON.stringify(Array.from(document.querySelectorAll('#events a'), "
                                           "a => a.href))"_qs)
                                      .toString()
                                      .toUtf8())
              .array();
    QCOMPARE(links, (QJsonArray{u"https://elsewhere.example/map.png"_qs, u"https://example.com/map"_qs}));
    QCOMPARE(
        evaluate(page, u"document.querySelectorAll('#events img, #events script, #events iframe').length"_qs).toInt(),
        0);
    QStringList trimmed;
    for (const QString &text : shownTexts(page))
        trimmed.append(text.trimmed());
    QVERIFY2(trimmed.contains(hostile.at(0)), qPrintable(trimmed.join(u'|')));
    QVERIFY2(trimmed.contains(hostile.at(1)), qPrintable(trimmed.join(u'|')));
    QTest::qWait(300); // give an injected image the chance to load, fail and fire its handler
    QCOMPARE(evaluate(page, u"typeof window.pwned"_qs).toString(), u"undefined"_qs);
    QCOMPARE(evaluate(page,
                      u"performance.getEntriesByType('resource').filter(r => !r.name.startsWith(location.origin))"
                      ".length"_qs)
                 .toInt(),
             0);
}

void tst_AudiencePage::anUrgentMessageTakesTheDisplayUntilANewerOne()
{
    QWebEngineView view(m_profile);
    QWebEnginePage *page = openDisplay(view);
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    const auto background = [page] {
        return evaluate(page, u"getComputedStyle(document.body).backgroundColor"_qs).toString();
    };
    QVERIFY(publish(u"Welcome"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(page).size(), 1, 30000);
    const QString calm = background();
    const QJsonObject alarm{{u"priority"_qs, u"urgent"_qs}, {u"title"_qs, u"Alarm"_qs}};
    // Long enough that the screen's height, not its width, bounds it.
    QVERIFY(publish(u"Evacuate hall B now: take the stairs on the left, leave by the north doors and wait by the "
                    "fountain until the wardens say you may come back in."_qs,
                    alarm));
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(page, u"document.documentElement.classList.contains('urgent')"_qs).toBool(),
                              true, 30000);
    QVERIFY(background() != calm);
    QCOMPARE(evaluate(page, u"getComputedStyle(document.querySelector('#events .event .title')).display"_qs).toString(),
             u"block"_qs);
    // The title and the text, fitted, are both on the screen.
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, uR"((() => { const event = document.querySelector('#events .event');
            const title = event.querySelector('.title').getBoundingClientRect();
            const text = event.querySelector('.text').getBoundingClientRect();
            return title.top >= 0 && title.bottom <= text.top + 1 && text.bottom <= innerHeight
                && text.height > innerHeight / 4; })())"_qs)
                                 .toBool(),
                             30000);
    QVERIFY(publish(u"All clear"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(page, u"document.documentElement.classList.contains('urgent')"_qs).toBool(),
                              false, 30000);
    QCOMPARE(background(), calm);
}

void tst_AudiencePage::anEditReplacesTheMessageInPlaceAndAfterAReload()
{
    QVERIFY(openTabs(2));
    const QList<QWebEnginePage *> tabs = m_tabs;
    for (const QString &text : {u"first"_qs, u"Doors open at 9"_qs, u"third"_qs})
        QVERIFY(publish(text));
    const QStringList before{u"third"_qs, u"Doors open at 9"_qs, u"first"_qs};
    QVERIFY(waitUntil([&] {
        return std::all_of(tabs.cbegin(), tabs.cend(), [&](QWebEnginePage *tab) { return shownTexts(tab) == before; });
    }));
    QCOMPARE(httpRequest("PUT", url(u"/api/events/2"_qs), R"({"data": "Doors open at 10", "title": "Hall B"})").status,
             200);
    const QStringList after{u"third"_qs, u"Doors open at 10"_qs, u"first"_qs};
    const auto editedInPlace = [&](QWebEnginePage *tab) {
        return shownTexts(tab) == after
            && evaluate(tab,
                        u"[document.querySelectorAll('#events .event')[1].querySelector('.title')?.textContent,"
                        " document.querySelectorAll('#events .edited').length].join()"_qs)
                   .toString()
            == u"Hall B,1"_qs;
    };
    QVERIFY(waitUntil([&] { return std::all_of(tabs.cbegin(), tabs.cend(), editedInPlace); }));

    QSignalSpy reloaded(tabs.last(), &QWebEnginePage::loadFinished);
    tabs.last()->triggerAction(QWebEnginePage::Reload);
    QVERIFY(reloaded.wait(30000));
    QVERIFY(waitUntil([&] { return editedInPlace(tabs.last()); }));
}

int main(int argc, char *argv[])
{
    if (geteuid() == 0)
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    tst_AudiencePage test;
    return QTest::qExec(&test, argc, argv);
}

void tst_AudiencePage::aPictureIsShownAndOtherFilesAreDownloadRows()
{
    QWebEnginePage *page = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    QVERIFY(upload(u"The hall"_qs, pngPicture(40, 30), "hall.png"));
    QVERIFY(upload(u"Today's schedule"_qs, "%PDF-1.4\n" + QByteArray(3000, ' '), "schedule.pdf"));
    QVERIFY(upload(u"Looks like a picture"_qs, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "logo.png"));
    QVERIFY(publish(u"Menu"_qs, {{u"attach"_qs, u"https://example.org/menu.pdf"_qs}}));
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(page).size(), 4, 30000);

    const auto describe = [&] {
        return QJsonDocument::fromJson(evaluate(page, uR"(JSON.stringify(
            Array.from(document.querySelectorAll('#events .event'), e => {
                const img = e.querySelector('.picture img');
                const row = e.querySelector('a.file');
                return {
                    picture: img && { width: img.naturalWidth, path: new URL(img.src).pathname,
                                      alt: img.alt, opens: img.closest('a').target },
                    row: row && { name: row.querySelector('.file-name').textContent,
                                  size: row.querySelector('.file-size')?.textContent ?? '',
                                  href: row.href, download: row.getAttribute('download'), target: row.target } };
            })))"_qs)
                                           .toString()
                                           .toUtf8())
            .array();
    };
    // The picture has loaded from Herald: its real width, not a broken image's.
    QTRY_COMPARE_WITH_TIMEOUT(describe().at(3).toObject().value(u"picture"_qs).toObject().value(u"width"_qs).toInt(),
                              40, 30000);
    const QJsonArray shown = describe();
    const QJsonObject hall = shown.at(3).toObject().value(u"picture"_qs).toObject();
    QVERIFY2(hall.value(u"path"_qs).toString().startsWith(u"/file/"_qs), qPrintable(hall.value(u"path"_qs).toString()));
    QCOMPARE(hall.value(u"alt"_qs).toString(), u"hall.png"_qs);
    QCOMPARE(hall.value(u"opens"_qs).toString(), u"_blank"_qs);
    QVERIFY(shown.at(3).toObject().value(u"row"_qs).isNull());

    const QJsonObject schedule = shown.at(2).toObject().value(u"row"_qs).toObject();
    QCOMPARE(schedule.value(u"name"_qs).toString(), u"schedule.pdf"_qs);
    QVERIFY(!schedule.value(u"size"_qs).toString().isEmpty());
    QCOMPARE(schedule.value(u"download"_qs).toString(), u"schedule.pdf"_qs);
    QVERIFY(shown.at(2).toObject().value(u"picture"_qs).isNull());
    // An SVG named as a PNG is no picture to show: a row that downloads it.
    QCOMPARE(shown.at(1).toObject().value(u"row"_qs).toObject().value(u"download"_qs).toString(), u"logo.png"_qs);
    QVERIFY(shown.at(1).toObject().value(u"picture"_qs).isNull());
    // A file elsewhere opens in a new tab; the page never loads it.
    const QJsonObject menu = shown.at(0).toObject().value(u"row"_qs).toObject();
    QCOMPARE(menu.value(u"href"_qs).toString(), u"https://example.org/menu.pdf"_qs);
    QCOMPARE(menu.value(u"target"_qs).toString(), u"_blank"_qs);
    QVERIFY(menu.value(u"download"_qs).isNull());
}

void tst_AudiencePage::displayModeShowsAPictureFullScreenWithItsTextBelow()
{
    QWebEngineView view(m_profile);
    QWebEnginePage *page = openDisplay(view);
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    QVERIFY(upload(u"Tonight's seating"_qs, pngPicture(800, 600), "seating.png"));
    QJsonObject screen;
    const auto fills = [&] {
        screen = QJsonDocument::fromJson(evaluate(page, uR"(JSON.stringify((() => {
            const event = document.querySelector('#events .event');
            const img = event?.querySelector('.picture img');
            const text = event?.querySelector('.text');
            if (!img || !img.complete || !img.naturalWidth) return {};
            const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
            return { width: innerWidth, height: innerHeight, picture: box(img), text: box(text),
                     overflowing: text.scrollWidth > text.clientWidth };
        })()))"_qs)
                                             .toString()
                                             .toUtf8())
                     .object();
        const QJsonObject p = screen.value(u"picture"_qs).toObject();
        const QJsonObject t = screen.value(u"text"_qs).toObject();
        const double width = screen.value(u"width"_qs).toDouble(), height = screen.value(u"height"_qs).toDouble();
        const double pictureWidth = p.value(u"right"_qs).toDouble() - p.value(u"left"_qs).toDouble();
        const double pictureHeight = p.value(u"bottom"_qs).toDouble() - p.value(u"top"_qs).toDouble();
        // Most of the screen in one direction, the text below it, all of it on the screen.
        return !p.isEmpty() && (pictureWidth > 0.6 * width || pictureHeight > 0.6 * height)
            && t.value(u"top"_qs).toDouble() >= p.value(u"bottom"_qs).toDouble()
            && t.value(u"bottom"_qs).toDouble() <= height && p.value(u"top"_qs).toDouble() >= 0
            && !screen.value(u"overflowing"_qs).toBool();
    };
    for (const QSize size : {QSize(1280, 720), QSize(390, 844)}) {
        view.resize(size);
        QTRY_VERIFY2_WITH_TIMEOUT(fills(), QJsonDocument(screen).toJson().constData(), 30000);
    }
}

void tst_AudiencePage::aRetractedMessageLeavesEveryTab()
{
    QVERIFY(openTabs(3));
    const QList<QWebEnginePage *> tabs = m_tabs;
    QList<qint64> ids;
    for (const QString &text : {u"first"_qs, u"wrong"_qs, u"third"_qs}) {
        const HttpReply reply
            = httpRequest("POST", url(u"/publish"_qs), text.toUtf8(), {{"Content-Type", "text/plain"}});
        QCOMPARE(reply.status, 200);
        ids.append(reply.json()[u"id"_qs].toInteger());
    }
    const QStringList all{u"third"_qs, u"wrong"_qs, u"first"_qs};
    QVERIFY(waitUntil([&] {
        return std::all_of(tabs.cbegin(), tabs.cend(), [&](QWebEnginePage *tab) { return shownTexts(tab) == all; });
    }));

    // The operator takes the second back: it leaves every tab, leader and followers alike.
    const HttpReply retracted = httpRequest("DELETE", url(u"/api/events/%1"_qs.arg(ids.at(1))));
    QCOMPARE(retracted.status, 204);
    const QStringList kept{u"third"_qs, u"first"_qs};
    QVERIFY(waitUntil([&] {
        return std::all_of(tabs.cbegin(), tabs.cend(), [&](QWebEnginePage *tab) { return shownTexts(tab) == kept; });
    }));

    // A page opened afterwards, in another browser, never shows it; nor does a reloaded tab.
    QWebEngineProfile otherBrowser;
    QWebEnginePage fresh(&otherBrowser);
    fresh.load(url(u"/"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(state(&fresh), u"live"_qs, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(&fresh), kept, 30000);
    QSignalSpy reloaded(tabs.last(), &QWebEnginePage::loadFinished);
    tabs.last()->triggerAction(QWebEnginePage::Reload);
    QVERIFY(reloaded.wait(30000));
    QTRY_COMPARE_WITH_TIMEOUT(state(tabs.last()), u"live"_qs, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(tabs.last()), kept, 30000);
}

void tst_AudiencePage::onlyTheOperatorsPageCanPublish()
{
    const QString token = u"operator-secret-7"_qs;
    m_host.reset();
    QVERIFY(startService(0, token));

    // The audience's page has no composer.
    QWebEnginePage *audience = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(audience), u"live"_qs, 30000);
    QCOMPARE(evaluate(audience, u"document.documentElement.dataset.canPublish"_qs).toString(), u"false"_qs);
    QCOMPARE(evaluate(audience, u"document.getElementById('composer').hidden"_qs).toBool(), true);

    // The operator opens the publisher link in a browser of their own. The token leaves the
    // address bar, and the page shows the composer.
    QWebEngineProfile operatorBrowser;
    QWebEnginePage operatorPage(&operatorBrowser);
    operatorPage.load(url(u"/?publisher="_qs + ServiceHost::publisherKey(token)));
    QTRY_COMPARE_WITH_TIMEOUT(state(&operatorPage), u"live"_qs, 30000);
    QVERIFY2(!operatorPage.url().hasQuery(), qPrintable(operatorPage.url().toString()));
    QCOMPARE(evaluate(&operatorPage, u"document.documentElement.dataset.canPublish"_qs).toString(), u"true"_qs);
    QCOMPARE(evaluate(&operatorPage, u"document.getElementById('composer').hidden"_qs).toBool(), false);

    const auto send = [&](const QString &text, const QString &type) {
        // JSON quoting makes each a JavaScript string literal.
        const auto literal = [](const QString &value) {
            return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).chopped(1).mid(1);
        };
        evaluate(&operatorPage,
                 u"document.getElementById('compose-text').value = %1;"
                 "document.getElementById('compose-type').value = %2;"
                 "document.getElementById('compose-send').click(); true"_qs.arg(literal(text), literal(type)));
    };
    const auto outcome = [&] {
        return evaluate(&operatorPage, u"document.getElementById('compose-status').dataset.outcome"_qs).toString();
    };
    const auto composed = [&] {
        return evaluate(&operatorPage, u"document.getElementById('compose-text').value"_qs).toString();
    };

    // A message sent from the composer reaches the audience, and the box empties.
    send(u"from the operator's phone"_qs, QString());
    QTRY_COMPARE_WITH_TIMEOUT(outcome(), u"sent"_qs, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(audience), QStringList{u"from the operator's phone"_qs}, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(&operatorPage), QStringList{u"from the operator's phone"_qs}, 30000);
    QCOMPARE(composed(), QString());

    // Herald refuses: the page shows Herald's reason and keeps the text.
    send(u"kept when refused"_qs, u"herald-mine"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(outcome(), u"refused"_qs, 30000);
    const QString reason
        = evaluate(&operatorPage, u"document.getElementById('compose-status').textContent"_qs).toString();
    QVERIFY2(reason.contains(u"reserved"_qs), qPrintable(reason));
    QCOMPARE(composed(), u"kept when refused"_qs);

    // With Herald gone, the page says it could not reach it, and keeps the text.
    m_host.reset();
    send(u"kept when unreachable"_qs, QString());
    QTRY_COMPARE_WITH_TIMEOUT(outcome(), u"failed"_qs, 30000);
    QCOMPARE(composed(), u"kept when unreachable"_qs);
    QCOMPARE(shownTexts(audience), QStringList{u"from the operator's phone"_qs});
}

void tst_AudiencePage::thePublisherPageSendsAPhotoFromTheCameraOrTheGallery()
{
    const QString token = u"operator-secret-8"_qs;
    m_host.reset();
    QVERIFY(startService(0, token));
    QWebEnginePage *audience = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(audience), u"live"_qs, 30000);
    QWebEngineProfile operatorBrowser;
    QWebEnginePage operatorPage(&operatorBrowser);
    operatorPage.load(url(u"/?publisher="_qs + ServiceHost::publisherKey(token)));
    QTRY_COMPARE_WITH_TIMEOUT(state(&operatorPage), u"live"_qs, 30000);
    // A phone offers its camera and its gallery for this field.
    QCOMPARE(evaluate(&operatorPage, u"document.getElementById('compose-file').accept"_qs).toString(), u"image/*"_qs);

    // The photo as the phone gives it to the page: a File in the field.
    const QByteArray photo = pngPicture(36, 24);
    evaluate(&operatorPage, uR"((() => {
        const bytes = Uint8Array.from(atob('%1'), (c) => c.charCodeAt(0));
        const chosen = new DataTransfer();
        chosen.items.add(new File([bytes], 'IMG_0042.png', { type: 'image/png' }));
        document.getElementById('compose-file').files = chosen.files;
        document.getElementById('compose-text').value = 'Stage set up, 北门';
        document.getElementById('compose-send').click();
        return true; })())"_qs.arg(QString::fromLatin1(photo.toBase64())));
    QTRY_COMPARE_WITH_TIMEOUT(
        evaluate(&operatorPage, u"document.getElementById('compose-status').dataset.outcome"_qs).toString(), u"sent"_qs,
        30000);
    QCOMPARE(evaluate(&operatorPage, u"document.getElementById('compose-file').files.length"_qs).toInt(), 0);
    // The audience sees the text with the photo, loaded from Herald.
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(audience), QStringList{u"Stage set up, 北门"_qs}, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(
        evaluate(audience, u"document.querySelector('#events .picture img')?.naturalWidth ?? 0"_qs).toInt(), 36, 30000);
    QCOMPARE(evaluate(audience, u"document.querySelector('#events .picture img').alt"_qs).toString(),
             u"IMG_0042.png"_qs);
}

void tst_AudiencePage::aScheduledMessageAppearsAtItsTime()
{
    m_host.reset();
    ServiceConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.minimumDelayMs = 500; // so that a test can wait for it
    QVERIFY(startHost(m_host, config));
    QWebEnginePage *page = openTab();
    QTRY_COMPARE_WITH_TIMEOUT(state(page), u"live"_qs, 30000);
    const HttpReply scheduled
        = httpRequest("POST", url(u"/publish"_qs), "Doors open now", {{"Content-Type", "text/plain"}, {"Delay", "3s"}});
    QCOMPARE(scheduled.status, 200);
    const qint64 due = scheduled.json().object().value(u"scheduled").toInteger();
    QVERIFY(publish(u"Before it"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(page), QStringList{u"Before it"_qs}, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(page), (QStringList{u"Doors open now"_qs, u"Before it"_qs}), 30000);
    QVERIFY(QDateTime::currentSecsSinceEpoch() >= due);
}

#include "tst_audiencepage.moc"
