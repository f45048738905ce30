#pragma once

#include <QDeadlineTimer>
#include <QTest>
#include <QVariant>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>

#include <functional>
#include <memory>
#include <optional>

// What the page tests ask of Herald's page in QtWebEngine (header-only: the test support library
// does not link the browser engine).

/// What \a script gives in \a page, waiting for it; an invalid QVariant when it does not finish.
inline QVariant evaluateInPage(QWebEnginePage *page, const QString &script)
{
    // The page calls back even after this returns, when a script never finished before it closes.
    auto result = std::make_shared<std::optional<QVariant>>();
    page->runJavaScript(script, [result](const QVariant &value) { *result = value; });
    if (!QTest::qWaitFor([&] { return result->has_value(); }, 10000))
        qWarning("script did not finish: %s", qPrintable(script));
    return result->value_or(QVariant());
}

/// Waits until \a condition holds, asking five times a second: a check that asks every tab,
/// asked without pause, would crowd the browser.
inline bool waitUntilTrue(const std::function<bool()> &condition, int timeoutMs = 60000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(200);
    }
    return true;
}

/// Has every page of \a profile run \a source as its document is created, before the page's own.
inline void runInEveryPage(QWebEngineProfile *profile, const QString &name, const QString &source)
{
    QWebEngineScript script;
    script.setName(name);
    script.setInjectionPoint(QWebEngineScript::DocumentCreation);
    script.setWorldId(QWebEngineScript::MainWorld);
    script.setSourceCode(source);
    profile->scripts()->insert(script);
}
