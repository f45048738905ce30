<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ClientTableModel</name>
    <message numerus="yes">
        <location filename="../../ui/clienttablemodel.cpp" line="77"/>
        <source>Live (%n tabs)</source>
        <translation>
            <numerusform>Live (%n tab)</numerusform>
            <numerusform>Live (%n tabs)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="77"/>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="79"/>
        <source>Reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="81"/>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="91"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="117"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="119"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="121"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="123"/>
        <source>Browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="125"/>
        <source>Topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="127"/>
        <source>Connected since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="129"/>
        <source>Events sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="131"/>
        <source>Bytes sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="133"/>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="135"/>
        <source>Last event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="264"/>
        <source>Client id: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="265"/>
        <source>User agent: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/composer.cpp" line="87"/>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="93"/>
        <source>The event type browsers receive; empty is the default &quot;message&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="94"/>
        <source>Event type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="96"/>
        <source>every client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="97"/>
        <source>Only clients subscribed to this topic, or to every topic, receive the event.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="98"/>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="103"/>
        <source>Everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="104"/>
        <source>Selected clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="105"/>
        <source>Send to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="108"/>
        <source>Send (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="115"/>
        <source>&amp;Type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="117"/>
        <source>T&amp;opic:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="119"/>
        <source>T&amp;o:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/composer.cpp" line="168"/>
        <source>Selected clients (%n)</source>
        <translation>
            <numerusform>Selected clients (%n)</numerusform>
            <numerusform>Selected clients (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ComposerEdit</name>
    <message>
        <location filename="../../ui/composer.cpp" line="25"/>
        <source>Type a message. Ctrl+Enter sends it; Up recalls earlier ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/composer.cpp" line="26"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventLogModel</name>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="44"/>
        <source>everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="62"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="64"/>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="66"/>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="68"/>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="70"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="72"/>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="74"/>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="90"/>
        <source>Herald</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="113"/>
        <source>⚠ History is not being saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="133"/>
        <source>&amp;Start Listening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="135"/>
        <source>S&amp;top Listening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="139"/>
        <source>Send to &amp;Selected Clients…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="140"/>
        <source>Address the next message to the selected clients only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="142"/>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="145"/>
        <source>Disconnect the selected clients; their pages say so and do not reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="147"/>
        <source>&amp;Copy Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="151"/>
        <source>&amp;Export Log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="190"/>
        <source>Connected clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="200"/>
        <source>Filter clients by name, address, browser or topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="202"/>
        <source>Filter clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="206"/>
        <source>&lt;b&gt;Clients&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="229"/>
        <source>&lt;b&gt;Broadcast&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="260"/>
        <source>Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="265"/>
        <location filename="../../ui/mainwindow.cpp" line="267"/>
        <source>Search the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="269"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="270"/>
        <source>Save the log as JSON lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="280"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow.cpp" line="296"/>
        <location filename="../../ui/mainwindow.cpp" line="604"/>
        <source>%n clients</source>
        <translation>
            <numerusform>%n client</numerusform>
            <numerusform>%n clients</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="299"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="302"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="305"/>
        <source>&amp;Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="309"/>
        <source>Se&amp;ttings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="312"/>
        <source>&amp;Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="314"/>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="317"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="319"/>
        <source>&amp;Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="323"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="324"/>
        <source>&amp;About Herald</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="325"/>
        <source>About Herald</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="326"/>
        <source>&lt;h3&gt;Herald %1&lt;/h3&gt;&lt;p&gt;Type a message and every browser connected to this computer receives it at once, over Server-Sent Events.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="330"/>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="339"/>
        <source>Live page: what browsers see</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="340"/>
        <source>Live Page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="348"/>
        <source>Live &amp;Page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="350"/>
        <source>&amp;Pop Out Live Page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="355"/>
        <source>Open Page in &amp;Browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="397"/>
        <source>Port %1 is already in use by another program, so browsers cannot reach Herald there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="401"/>
        <source>Herald could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="434"/>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="448"/>
        <source>The settings could not be saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="472"/>
        <source>Control panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="502"/>
        <source>Type a message first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="509"/>
        <source>Select one or more clients in the table, or send to everyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="522"/>
        <location filename="../../ui/mainwindow.cpp" line="543"/>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow.cpp" line="539"/>
        <source>Event %1 queued to %n clients</source>
        <translation>
            <numerusform>Event %1 queued to %n client</numerusform>
            <numerusform>Event %1 queued to %n clients</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow.cpp" line="556"/>
        <source>Disconnected %n clients</source>
        <translation>
            <numerusform>Disconnected %n client</numerusform>
            <numerusform>Disconnected %n clients</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="576"/>
        <location filename="../../ui/mainwindow.cpp" line="582"/>
        <source>Export Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="577"/>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="583"/>
        <source>The log could not be saved to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/mainwindow.cpp" line="586"/>
        <source>Saved %n events to %1</source>
        <translation>
            <numerusform>Saved %n event to %1</numerusform>
            <numerusform>Saved %n events to %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="610"/>
        <source>%1 events/s (%2 deliveries/s), %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="614"/>
        <source>Up %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="68"/>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QrCodeWidget</name>
    <message>
        <location filename="../../ui/qrcodewidget.cpp" line="33"/>
        <source>QR code for %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerBar</name>
    <message>
        <location filename="../../ui/serverbar.cpp" line="46"/>
        <source>Se&amp;ttings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="60"/>
        <source>Browsers on this network can open:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="98"/>
        <source>Change settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="119"/>
        <source>● Listening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="121"/>
        <source>all network interfaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="122"/>
        <source>this computer only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="124"/>
        <source>Port %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="125"/>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="134"/>
        <source>● Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="136"/>
        <source>Browsers cannot connect until Herald listens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="137"/>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="146"/>
        <source>● Not listening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="151"/>
        <source>Use port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="194"/>
        <source>Only on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="194"/>
        <source>From phones and computers on this network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="196"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="197"/>
        <location filename="../../ui/serverbar.cpp" line="198"/>
        <source>Copy %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="201"/>
        <source>QR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="202"/>
        <source>Show this address as the QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/serverbar.cpp" line="218"/>
        <source>Scan with a phone camera to open %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="24"/>
        <source>Start listening when Herald opens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="25"/>
        <source>Pages need the token too (private)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="31"/>
        <source>Herald Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="36"/>
        <source>The TCP port browsers connect to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="38"/>
        <source>All network interfaces (phones and laptops can join)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="39"/>
        <source>This computer only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="48"/>
        <source>none: anyone on the network may publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="49"/>
        <source>When set, publishing and disconnecting clients need &quot;Authorization: Bearer &lt;token&gt;&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="50"/>
        <source>&amp;Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="57"/>
        <location filename="../../ui/settingsdialog.cpp" line="92"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="61"/>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="65"/>
        <source> events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="68"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="69"/>
        <source>Access-Control-Allow-Origin for streams and read-only endpoints: *, an origin, or none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="73"/>
        <source>Browsers join through a link carrying the token; the QR code and the URLs carry it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="79"/>
        <source>As many as the system allows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="82"/>
        <source>Past this many pages, a new one is told to come back later (503).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="84"/>
        <location filename="../../ui/settingsdialog.cpp" line="88"/>
        <source> KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="86"/>
        <source>A larger publish is refused (413) before it is read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="90"/>
        <source>A page that falls this far behind is disconnected, so it cannot hold up memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="94"/>
        <source>A request that has not arrived in full by then gets 408. Open streams are not affected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="97"/>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="98"/>
        <source>&amp;Listen on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="99"/>
        <source>&amp;Token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="100"/>
        <source>&amp;Heartbeat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="101"/>
        <source>&amp;Reconnect delay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="102"/>
        <source>H&amp;istory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="103"/>
        <source>&amp;CORS origin:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="105"/>
        <source>&amp;Most clients:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="106"/>
        <source>Largest &amp;publish:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="107"/>
        <source>Client &amp;buffer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="108"/>
        <source>Request time&amp;out:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="111"/>
        <source>A new port or address restarts the service; browsers reconnect by themselves.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserAgent</name>
    <message>
        <location filename="../../ui/useragent.cpp" line="74"/>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/useragent.cpp" line="81"/>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
