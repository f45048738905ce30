#include "event.h"
#include "jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <limits>

/// JsonText is checked against Qt's own JSON: it must write what QJsonDocument writes for the same
/// text, and what it writes must read back as that text.
class tst_JsonText : public QObject
{
    Q_OBJECT

private slots:
    void writesWhatQtWrites_data();
    void writesWhatQtWrites();
    void aLoneSurrogateIsKept();
    void numbersAreWrittenInFull();
};

void tst_JsonText::writesWhatQtWrites_data()
{
    QTest::addColumn<QByteArray>("utf8");

    QTest::newRow("plain") << QByteArray("a 21-byte event body.");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("quotes and backslashes") << QByteArray(R"(say "hi" \ C:\path\ "")");
    QTest::newRow("breaks and tabs") << QByteArray("one\ntwo\r\nthree\tfour\b\f");
    QByteArray controls;
    for (char c = 0; c < 0x20; ++c)
        controls += c;
    controls += '\x7f';
    QTest::newRow("every control character") << controls;
    QTest::newRow("not ASCII") << QStringLiteral(u"héllo 你好 🎉 \u2028").toUtf8();
    QTest::newRow("U+FEFF first, inside and last") << QByteArray("\xEF\xBB\xBF"
                                                                 "a\xEF\xBB\xBF"
                                                                 "b\xEF\xBB\xBF");
    QTest::newRow("a lone continuation byte") << QByteArray("a\x80z");
    QTest::newRow("a sequence cut short") << QByteArray("a\xE4\xBD");
    QTest::newRow("an overlong slash") << QByteArray("a\xC0\xAFz");
    QTest::newRow("a surrogate") << QByteArray("a\xED\xA0\x80z");
    QTest::newRow("past U+10FFFF") << QByteArray("a\xF4\x90\x80\x80z");
    QTest::newRow("bytes that are never UTF-8") << QByteArray("\xFF\xFE\"\xC1");
}

void tst_JsonText::writesWhatQtWrites()
{
    QFETCH(QByteArray, utf8);
    QByteArray written = "[";
    JsonText::appendString(written, utf8);
    written += ']';

    // Qt's writer, on the text as Herald reads it; U+FEFF escaped as Event::compactJson() has it.
    QByteArray qt = QJsonDocument(QJsonArray{Event::textOf(utf8)}).toJson(QJsonDocument::Compact);
    qt.replace("\xEF\xBB\xBF", "\\ufeff");
    QCOMPARE(written, qt);

    QJsonParseError error;
    const QJsonDocument read = QJsonDocument::fromJson(written, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(read.array().first().toString(), Event::textOf(utf8));
}

void tst_JsonText::aLoneSurrogateIsKept()
{
    // A JSON publish may name an event type "\ud800": it is written as Qt writes it, and read back.
    for (const QString &text : {QString(QChar(0xD800)), u"a"_qs + QChar(0xDFFF) + u"\"z"_qs}) {
        QByteArray written = "[";
        JsonText::appendText(written, text);
        written += ']';
        QCOMPARE(written, QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact));
        QCOMPARE(QJsonDocument::fromJson(written).array().first().toString(), text);
    }
}

void tst_JsonText::numbersAreWrittenInFull()
{
    // Ids and times in the journal: every digit and the sign, each appended to what is there.
    QByteArray written = "[";
    QByteArray expected = "[";
    for (const qint64 number : {qint64(0), qint64(-1), qint64(1733616000123), std::numeric_limits<qint64>::min(),
                                std::numeric_limits<qint64>::max()}) {
        JsonText::appendNumber(written, number);
        written += ',';
        expected += QByteArray::number(number) + ',';
    }
    for (const quint64 number : {quint64(0), quint64(9), quint64(10), std::numeric_limits<quint64>::max()}) {
        JsonText::appendNumber(written, number);
        written += ',';
        expected += QByteArray::number(number) + ',';
    }
    QCOMPARE(written, expected);
    QCOMPARE(written.count(','), 9);
}

QTEST_GUILESS_MAIN(tst_JsonText)
#include "tst_jsontext.moc"
