<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ClientTableModel</name>
    <message numerus="yes">
        <source>Live (%n tabs)</source>
        <translation>
            <numerusform>Live (%n tab)</numerusform><numerusform>Live (%n tabs)</numerusform></translation>
    </message>
    <message>
        <source>Live</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reconnecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Browser</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Topics</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connected since</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Events sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bytes sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client id: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User agent: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The event type browsers receive; empty is the default "message".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Event type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every client</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only clients subscribed to this topic, or to every topic, receive the event.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Topic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Everyone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Selected clients</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>T&amp;opic:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Selected clients (%n)</source>
        <translation>
            <numerusform>Selected clients (%n)</numerusform><numerusform>Selected clients (%n)</numerusform></translation>
    </message>
</context>
<context>
    <name>ComposerEdit</name>
    <message>
        <source>Type a message. Ctrl+Enter sends it; Up recalls earlier ones.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>EventLogModel</name>
    <message>
        <source>everyone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Topic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Herald</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Start Listening</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>S&amp;top Listening</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send to &amp;Selected Clients…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address the next message to the selected clients only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Disconnect the selected clients; their pages say so and do not reconnect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Copy Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Export Log…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connected clients</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Filter clients by name, address, browser or topic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Filter clients</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;b&gt;Clients&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;b&gt;Broadcast&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Event log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search the log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the log as JSON lines</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n clients</source>
        <translation>
            <numerusform>%n client</numerusform><numerusform>%n clients</numerusform></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Clients</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;About Herald</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About Herald</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;h3&gt;Herald %1&lt;/h3&gt;&lt;p&gt;Type a message and every browser connected to this computer receives it at once, over Server-Sent Events.&lt;/p&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Live page: what browsers see</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Live Page</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Live &amp;Page</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Pop Out Live Page</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open Page in &amp;Browser</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Port %1 is already in use by another program, so browsers cannot reach Herald there.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Herald could not start: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The settings could not be saved to %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Control panel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type a message first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select one or more clients in the table, or send to everyone.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Event %1 queued to %n clients</source>
        <translation>
            <numerusform>Event %1 queued to %n client</numerusform><numerusform>Event %1 queued to %n clients</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Disconnected %n clients</source>
        <translation>
            <numerusform>Disconnected %n client</numerusform><numerusform>Disconnected %n clients</numerusform></translation>
    </message>
    <message>
        <source>Export Log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The log could not be saved to %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Saved %n events to %1</source>
        <translation>
            <numerusform>Saved %n event to %1</numerusform><numerusform>Saved %n events to %1</numerusform></translation>
    </message>
    <message>
        <source>%1 events/s (%2 deliveries/s), %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Up %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1/s</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>QrCodeWidget</name>
    <message>
        <source>QR code for %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ServerBar</name>
    <message>
        <source>Se&amp;ttings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Browsers on this network can open:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change settings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>● Listening</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>all network interfaces</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>this computer only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Port %1 on %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>● Stopped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Browsers cannot connect until Herald listens.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>● Not listening</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use port %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only on this computer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From phones and computers on this network</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>QR</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show this address as the QR code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scan with a phone camera to open %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Start listening when Herald opens</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Herald Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The TCP port browsers connect to.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All network interfaces (phones and laptops can join)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This computer only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>none: anyone on the network may publish</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When set, publishing and disconnecting clients need "Authorization: Bearer &lt;token&gt;".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> events</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Access-Control-Allow-Origin for streams and read-only endpoints: *, an origin, or none.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Listen on:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Heartbeat:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Reconnect delay:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>H&amp;istory:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;CORS origin:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A new port or address restarts the service; browsers reconnect by themselves.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>UserAgent</name>
    <message>
        <source>Unknown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>