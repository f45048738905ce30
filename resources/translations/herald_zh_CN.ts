<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttachmentBox</name>
    <message>
        <location filename="../../ui/attachmentbox.cpp" line="+24"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Send the message without this file</source>
        <translation>发送消息时不带此文件</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+16"/>
        <source>%1 is %2; a message carries files of at most %3</source>
        <translation>%1 大小为 %2；一条消息最多携带 %3 的文件</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>%1 cannot be read</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is empty</source>
        <translation>%1 是空文件</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>pasted picture.png</source>
        <translation>粘贴的图片.png</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Attach a File</source>
        <translation>附加文件</translation>
    </message>
</context>
<context>
    <name>ClientTableModel</name>
    <message>
        <location filename="../../ui/clienttablemodel.cpp" line="+51"/>
        <source>Over plain HTTP: not encrypted</source>
        <translation>经普通 HTTP：未加密</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Over HTTPS (%1), encrypted by the kernel</source>
        <translation>经 HTTPS（%1），由内核加密</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Over HTTPS (%1)</source>
        <translation>经 HTTPS（%1）</translation>
    </message>
    <message numerus="yes">
        <location line="+29"/>
        <source>Live (%n tabs)</source>
        <translation>
            <numerusform>在线（%n 个标签页）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Live</source>
        <translation>在线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browser</source>
        <translation>浏览器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topics</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected since</source>
        <translation>连接时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Events sent</source>
        <translation>已发事件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes sent</source>
        <translation>已发字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Queued</source>
        <translation>待发</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last event</source>
        <translation>最后事件</translation>
    </message>
    <message>
        <location line="+129"/>
        <source>Client id: %1</source>
        <translation>客户端 ID：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User agent: %1</source>
        <translation>用户代理：%1</translation>
    </message>
</context>
<context>
    <name>ClientsPane</name>
    <message>
        <location filename="../../ui/clientspane.cpp" line="+26"/>
        <source>All &amp;nodes</source>
        <translation>所有节点(&amp;N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send to &amp;Selected Clients…</source>
        <translation>发送给选中的客户端(&amp;S)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address the next message to the selected clients only</source>
        <translation>下一条消息只发给选中的客户端</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Disconnect</source>
        <translation>断开连接(&amp;D)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Disconnect the selected clients; their pages say so and do not reconnect</source>
        <translation>断开选中的客户端；它们的页面会显示提示且不会自动重连</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Copy Details</source>
        <translation>复制详情(&amp;C)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Connected clients</source>
        <translation>已连接的客户端</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Filter clients by name, address, browser or topic</source>
        <translation>按名称、地址、浏览器或主题筛选客户端</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter clients</source>
        <translation>筛选客户端</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>List the clients of every Herald in the cluster, not only this one&apos;s</source>
        <translation>列出集群中每个 Herald 的客户端，而不只是本机的</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;Clients&lt;/b&gt;</source>
        <translation>&lt;b&gt;客户端&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/composer.cpp" line="+108"/>
        <location line="+225"/>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <location line="-224"/>
        <source>Sc&amp;hedule…</source>
        <translation>定时(&amp;H)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Attach…</source>
        <translation>附件(&amp;A)…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Markdown</source>
        <translation>&amp;Markdown</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no title</source>
        <translation>无标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgent messages are red on every page and always sound; min and low are muted.</source>
        <translation>紧急消息在每个页面上显示为红色并总会发出提示音；最低和低优先级的消息显示为淡色。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>min</source>
        <translation>最低</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>warning, tada</source>
        <translation>warning, tada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comma-separated; a tag that names an emoji (warning, tada, skull) shows as it.</source>
        <translation>用逗号分隔；名称为表情符号的标签（warning、tada、skull）会显示为该表情符号。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An http, https or mailto address that the message opens when tapped.</source>
        <translation>点按消息时打开的 http、https 或 mailto 地址。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click URL</source>
        <translation>点击网址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pages render the text as Markdown; raw HTML stays text.</source>
        <translation>页面将文本按 Markdown 显示；原始 HTML 保持为文本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Markdown preview</source>
        <translation>Markdown 预览</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The event type browsers receive; empty is the default &quot;message&quot;.</source>
        <translation>浏览器收到的事件类型；留空即默认的 &quot;message&quot;。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event type</source>
        <translation>事件类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every client</source>
        <translation>所有客户端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only clients subscribed to this topic, or to every topic, receive the event.</source>
        <translation>只有订阅了此主题或订阅全部主题的客户端会收到该事件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Selected clients</source>
        <translation>选中的客户端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send to</source>
        <translation>发送给</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send it later: from 10 seconds to 3 days from now</source>
        <translation>稍后发送：从现在起 10 秒到 3 天之内</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A picture or a file for the message; you can also drop one here, or paste a picture</source>
        <translation>为消息附加图片或文件；也可以把文件拖放到这里，或粘贴图片</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>T&amp;opic:</source>
        <translation>主题(&amp;O)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>T&amp;o:</source>
        <translation>发给(&amp;O)：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>T&amp;itle:</source>
        <translation>标题(&amp;I)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Priority:</source>
        <translation>优先级(&amp;P)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ta&amp;gs:</source>
        <translation>标签(&amp;G)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Click:</source>
        <translation>点击(&amp;C)：</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Editing event %1: Save puts the new version in its place on every page.</source>
        <translation>正在编辑事件 %1：保存后每个页面都会在原位置显示新版本。</translation>
    </message>
    <message numerus="yes">
        <location line="+50"/>
        <source>Selected clients (%n)</source>
        <translation>
            <numerusform>选中的客户端（%n）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ComposerEdit</name>
    <message>
        <location line="-334"/>
        <source>Type a message. Ctrl+Enter sends it; Up recalls earlier ones.</source>
        <translation>输入消息。Ctrl+Enter 发送；按上方向键可调出之前的消息。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>EventLogModel</name>
    <message>
        <location filename="../../ui/eventlogmodel.cpp" line="+39"/>
        <source>Retracted: pages no longer show it, and replays leave it out</source>
        <translation>已撤回：页面不再显示它，重放时也会略过它</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Edited %n time(s): pages show this version</source>
        <translation>
            <numerusform>已编辑 %n 次：页面显示此版本</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delivered</source>
        <translation>送达</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>min</source>
        <translation>最低</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>urgent</source>
        <translation>紧急</translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message>
        <location filename="../../ui/logpane.cpp" line="+43"/>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+2"/>
        <source>Search the log</source>
        <translation>搜索日志</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the log as JSON lines</source>
        <translation>将日志保存为 JSON Lines</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Retract</source>
        <translation>撤回(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Take the selected events back: every page removes them, and replays leave them out</source>
        <translation>撤回所选事件：每个页面都会移除它们，重放时也会略过它们</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change the event&apos;s text and fields: every page shows the new version in its place</source>
        <translation>修改事件的文本和字段：每个页面都会在原位置显示新版本</translation>
    </message>
    <message>
        <location line="+71"/>
        <location line="+6"/>
        <source>Export Log</source>
        <translation>导出日志</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The log could not be saved to %1: %2</source>
        <translation>无法将日志保存到 %1：%2</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Saved %n events to %1</source>
        <translation>
            <numerusform>已将 %n 个事件保存到 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/mainwindow.cpp" line="+72"/>
        <source>Herald</source>
        <translation>Herald</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>&amp;Start Listening</source>
        <translation>开始监听(&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;top Listening</source>
        <translation>停止监听(&amp;T)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Export Log…</source>
        <translation>导出日志(&amp;E)…</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>&lt;b&gt;Broadcast&lt;/b&gt;</source>
        <translation>&lt;b&gt;广播&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Scheduled</source>
        <translation>定时消息</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Reload HTTPS Certificate</source>
        <translation>重新载入 HTTPS 证书(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read the certificate and key files again; open streams stay</source>
        <translation>重新读取证书和私钥文件；已打开的流保持不变</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Service</source>
        <translation>服务(&amp;S)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Clients</source>
        <translation>客户端(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Log</source>
        <translation>日志(&amp;L)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Herald</source>
        <translation>关于 Herald(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About Herald</source>
        <translation>关于 Herald</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Herald %1&lt;/h3&gt;&lt;p&gt;Type a message and every browser connected to this computer receives it at once, over Server-Sent Events.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Herald %1&lt;/h3&gt;&lt;p&gt;输入一条消息，所有连接到这台电脑的浏览器都会通过 Server-Sent Events 立即收到。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Live page: what browsers see</source>
        <translation>实时页面：浏览器看到的内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live Page</source>
        <translation>实时页面</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Live &amp;Page</source>
        <translation>实时页面(&amp;P)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pop Out Live Page</source>
        <translation>弹出实时页面(&amp;P)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open Page in &amp;Browser</source>
        <translation>在浏览器中打开页面(&amp;B)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Port %1 is already in use by another program, so browsers cannot reach Herald there.</source>
        <translation>端口 %1 已被其他程序占用，浏览器无法通过它访问 Herald。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Herald could not start: %1</source>
        <translation>Herald 无法启动：%1</translation>
    </message>
    <message>
        <location line="+49"/>
        <location line="+15"/>
        <source>The settings could not be saved to %1</source>
        <translation>无法将设置保存到 %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Control panel</source>
        <translation>控制面板</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+12"/>
        <source>Type a message first.</source>
        <translation>请先输入消息。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Select one or more clients in the table, or send to everyone.</source>
        <translation>请在表格中选择一个或多个客户端，或者发送给所有人。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+36"/>
        <source>Not sent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Scheduled for %1</source>
        <translation>已定时于 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Event %1 queued to %n clients</source>
        <translation>
            <numerusform>事件 %1 已排队发送给 %n 个客户端</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Event %1 saved: every page shows the new version</source>
        <translation>事件 %1 已保存：每个页面都显示新版本</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved: Herald no longer keeps this event (retracted, or dropped from history).</source>
        <translation>未保存：Herald 已不再保留此事件（已撤回，或已从历史中移除）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not saved: another node edited this event meanwhile.</source>
        <translation>未保存：另一个节点在此期间编辑了此事件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not saved: the edit cannot be recorded now; try again.</source>
        <translation>未保存：现在无法记录此编辑，请重试。</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Disconnected %n clients</source>
        <translation>
            <numerusform>已断开 %n 个客户端</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Publisher Link</source>
        <translation>发布者链接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Publishing from a phone needs a token. Herald can make one now; from then on, scripts on this computer need it too (&quot;Authorization: Bearer &lt;token&gt;&quot;).

Make a token?</source>
        <translation>从手机发布需要一个令牌。Herald 现在可以生成一个；此后，本机上的脚本也需要它（&quot;Authorization: Bearer &lt;token&gt;&quot;）。

要生成令牌吗？</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../../ui/statusfigures.cpp" line="+11"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
</context>
<context>
    <name>QrCodeWidget</name>
    <message>
        <location filename="../../ui/qrcodewidget.cpp" line="+33"/>
        <source>QR code for %1</source>
        <translation>%1 的二维码</translation>
    </message>
</context>
<context>
    <name>ScheduleDialog</name>
    <message>
        <location filename="../../ui/scheduledialog.cpp" line="+21"/>
        <source>Schedule the Message</source>
        <translation>定时发送消息</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change the Scheduled Message</source>
        <translation>修改定时消息</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>From 10 seconds to 3 days from now, in this computer&apos;s time zone.</source>
        <translation>从现在起 10 秒到 3 天之内，按本机时区。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Goes out &amp;at:</source>
        <translation>发送时间(&amp;A)：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Message:</source>
        <translation>消息(&amp;M)：</translation>
    </message>
</context>
<context>
    <name>ScheduledPane</name>
    <message>
        <location filename="../../ui/scheduledpane.cpp" line="+24"/>
        <source>C&amp;hange…</source>
        <translation>修改(&amp;H)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel &amp;Message</source>
        <translation>取消消息(&amp;M)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Goes out at</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In</source>
        <translation>剩余</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scheduled messages</source>
        <translation>定时消息</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in %1 s</source>
        <translation>%1 秒后</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in %1 min %2 s</source>
        <translation>%1 分 %2 秒后</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in %1 h %2 min</source>
        <translation>%1 小时 %2 分后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in %1 d %2 h</source>
        <translation>%1 天 %2 小时后</translation>
    </message>
</context>
<context>
    <name>ServerBar</name>
    <message>
        <location filename="../../ui/serverbar.cpp" line="+38"/>
        <source>&amp;Publisher Link</source>
        <translation>发布者链接(&amp;P)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Show a link, as a QR code, with which a phone may publish from Herald&apos;s page</source>
        <translation>以二维码显示一个链接，手机可凭它在 Herald 页面上发布</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Browsers on this network can open:</source>
        <translation>本网络中的浏览器可以打开：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Show where devices get Herald&apos;s certificate authority as the QR code</source>
        <translation>以二维码显示设备获取 Herald 证书颁发机构的地址</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Scan to install Herald&apos;s certificate authority, then trust it in the device&apos;s settings: once, for every certificate Herald makes.</source>
        <translation>扫描以安装 Herald 的证书颁发机构，然后在设备设置中信任它：只需一次，对 Herald 签发的所有证书都有效。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Change settings…</source>
        <translation>更改设置…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>● Listening</source>
        <translation>● 正在监听</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all network interfaces</source>
        <translation>所有网络接口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this computer only</source>
        <translation>仅本机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port %1 on %2</source>
        <translation>端口 %1，%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>● Stopped</source>
        <translation>● 已停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browsers cannot connect until Herald listens.</source>
        <translation>Herald 开始监听之前，浏览器无法连接。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Start</source>
        <translation>启动(&amp;S)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>reachable</source>
        <translation>可连接</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unreachable: publishing waits for it</source>
        <translation>无法连接：发布需等待其恢复</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Cluster %1, %2; %n nodes, this one %3 events behind</source>
        <translation>
            <numerusform>集群 %1，%2；%n 个节点，本节点落后 %3 个事件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>HTTPS certificate, SHA-256: %1</source>
        <translation>HTTPS 证书，SHA-256：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Devices trust Herald&apos;s own authority once, from &lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;; SHA-256: %2</source>
        <translation>设备只需信任一次 Herald 自己的颁发机构，地址：&lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;；SHA-256：%2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>● Not listening</source>
        <translation>● 未在监听</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use port %1</source>
        <translation>改用端口 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Scan with a phone to publish from it. Share this code only with people who may publish: it carries the token.</source>
        <translation>用手机扫描即可从手机发布。只与可以发布的人分享此码：它包含令牌。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Only on this computer</source>
        <translation>仅限本机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From phones and computers on this network</source>
        <translation>本网络中的手机和电脑均可访问</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Copy %1</source>
        <translation>复制 %1</translation>
    </message>
    <message>
        <location line="-187"/>
        <location line="+190"/>
        <source>QR</source>
        <translation>二维码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show this address as the QR code</source>
        <translation>用二维码显示此地址</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Scan with a phone camera to open %1</source>
        <translation>用手机相机扫码打开 %1</translation>
    </message>
</context>
<context>
    <name>ServiceHost</name>
    <message>
        <location filename="../../server/servicehost.cpp" line="+132"/>
        <source>Herald is not running</source>
        <translation>Herald 未在运行</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Not changed: %1</source>
        <translation>未修改：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the schedule cannot be read now</source>
        <translation>现在无法读取计划</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+8"/>
        <source>it went out or was cancelled meanwhile</source>
        <translation>它在此期间已发出或已被取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the schedule cannot be written now</source>
        <translation>现在无法写入计划</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settingsdialog.cpp" line="+102"/>
        <source>Start listening when Herald opens</source>
        <translation>Herald 打开时即开始监听</translation>
    </message>
    <message>
        <location line="-79"/>
        <source>Herald Settings</source>
        <translation>Herald 设置</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+35"/>
        <source>Any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>The TCP port browsers connect to.</source>
        <translation>浏览器连接的 TCP 端口。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All network interfaces (phones and laptops can join)</source>
        <translation>所有网络接口（手机和笔记本电脑可以加入）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer only</source>
        <translation>仅本机</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>none: anyone on the network may publish</source>
        <translation>无：网络中的任何人都可以发布</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When set, publishing and disconnecting clients need &quot;Authorization: Bearer &lt;token&gt;&quot;.</source>
        <translation>设置后，发布消息和断开客户端需要 &quot;Authorization: Bearer &lt;token&gt;&quot;。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>none: plain HTTP only</source>
        <translation>无：仅使用普通 HTTP</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The certificate&apos;s private key (PEM, RSA or EC).</source>
        <translation>证书的私钥（PEM 格式，RSA 或 EC）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The TCP port of HTTPS.</source>
        <translation>HTTPS 使用的 TCP 端口。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTPS only: the HTTP port redirects</source>
        <translation>仅 HTTPS：HTTP 端口只做重定向</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing crosses the network in the clear: every plain request is sent to HTTPS.</source>
        <translation>任何内容都不以明文经过网络：每个普通请求都会被转到 HTTPS。</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+79"/>
        <location line="+4"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="-82"/>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+70"/>
        <source> events</source>
        <translation> 个事件</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>History keeps at most this much text; the oldest events go first.</source>
        <translation>历史最多保留这么多文本；最早的事件先被移除。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> messages</source>
        <translation> 条消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How many recent messages the page shows when it opens, so a late joiner sees what was said.</source>
        <translation>页面打开时显示多少条最近的消息，让后加入的人也能看到之前说了什么。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Written for the system: survives a crash of Herald</source>
        <translation>交给系统写入：Herald 崩溃后不丢失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Synced to the disk: survives a power cut, slower</source>
        <translation>同步到磁盘：断电后不丢失，较慢</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What must have happened to an event before its publish is answered.</source>
        <translation>发布请求得到应答之前，事件必须达到的保存程度。</translation>
    </message>
    <message>
        <location line="-37"/>
        <location line="+41"/>
        <location line="+72"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>Access-Control-Allow-Origin for streams and read-only endpoints: *, an origin, or none.</source>
        <translation>事件流和只读接口的 Access-Control-Allow-Origin：*、一个源，或 none。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>As many as the system allows</source>
        <translation>系统允许的最大数量</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Past this many pages, a new one is told to come back later (503).</source>
        <translation>超过这个数量后，新的页面会被告知稍后再来（503）。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source> topics</source>
        <translation> 个主题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A page that asks for more topics is refused (400), so it cannot hold up memory.</source>
        <translation>订阅更多主题的页面会被拒绝（400），以免占用内存。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Starts every key Herald keeps in the cluster&apos;s Redis, so several Herald sites can share one Redis. Every node of a cluster needs the same.</source>
        <translation>Herald 在集群 Redis 中保存的每个键都以此开头，这样多个 Herald 站点可以共用一个 Redis。同一集群的每个节点必须相同。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Topics per cli&amp;ent:</source>
        <translation>每个客户端的主题数(&amp;E)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;luster (Redis):</source>
        <translation>集群 (Redis)(&amp;L):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redis pass&amp;word:</source>
        <translation>Redis 密码(&amp;W):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key pre&amp;fix:</source>
        <translation>键前缀(&amp;F):</translation>
    </message>
    <message>
        <location line="-131"/>
        <location line="+66"/>
        <location line="+4"/>
        <location line="+2"/>
        <location line="+4"/>
        <source> KiB</source>
        <translation> KiB</translation>
    </message>
    <message>
        <location line="-103"/>
        <source>A PEM certificate for this computer&apos;s names and addresses; the chain may follow it in the file. With its key, Herald serves HTTPS too. &quot;auto&quot;: Herald makes its own, from an authority that devices trust once.</source>
        <translation>本机名称和地址的 PEM 证书，文件中可在其后附上证书链。有了它的私钥，Herald 也会提供 HTTPS。填 “auto”：由 Herald 自己签发，设备只需信任一次它的颁发机构。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Pages need a token too (private)</source>
        <translation>页面也需要令牌（私密）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Browsers join through a link carrying the reader token, as the QR code and the URLs do: it lets them read, not publish.</source>
        <translation>浏览器通过带有读者令牌的链接加入，二维码和网址都带有它：它只允许阅读，不能发布。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>made when private mode is on</source>
        <translation>开启私密模式时自动生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the URLs and the QR code carry in private mode: it lets a browser read, not publish. A new one shuts out every browser that joined with the old one.</source>
        <translation>私密模式下网址和二维码带有的令牌：它允许浏览器阅读，不能发布。换成新的读者令牌后，用旧令牌加入的浏览器都会被拒之门外。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ge&amp;nerate</source>
        <translation>生成(&amp;N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The reader token must differ from the token, or every reader could publish.</source>
        <translation>读者令牌必须与令牌不同，否则每个读者都能发布。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>A larger publish is refused (413) before it is read.</source>
        <translation>更大的发布在读取之前就会被拒绝（413）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A batch publish (one event per line) with more is refused (413), and publishes nothing.</source>
        <translation>超过此数量的批量发布（每行一个事件）会被拒绝（413），且不发布任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A larger file is refused (413) before it is read.</source>
        <translation>更大的文件会在读取前被拒绝（413）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Files kept for messages, all together; the oldest go first to make room.</source>
        <translation>为消息保存的全部文件总量；空间不足时先删除最旧的文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How long a message&apos;s file can be opened after it was sent.</source>
        <translation>消息发送后其文件可被打开的时长。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A page that falls this far behind is disconnected, so it cannot hold up memory.</source>
        <translation>落后这么多的页面会被断开，以免占用内存。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A request that has not arrived in full by then gets 408. Open streams are not affected.</source>
        <translation>到时仍未完整到达的请求会收到 408。已打开的事件流不受影响。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>none: this Herald on its own</source>
        <translation>无：此 Herald 独立运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>redis://HOST:PORT/DB: share one event stream with other Heralds through this Redis.</source>
        <translation>redis://主机:端口/数据库：通过此 Redis 与其他 Herald 共享同一个事件流。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Listen on:</source>
        <translation>监听(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTP&amp;S certificate:</source>
        <translation>HTTPS 证书(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTPS ke&amp;y:</source>
        <translation>HTTPS 私钥(&amp;Y)：</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Private Key</source>
        <translation>私钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTPS port:</source>
        <translation>HTTPS 端口：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Token:</source>
        <translation>令牌(&amp;T)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Heartbeat:</source>
        <translation>心跳(&amp;H)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reconnect delay:</source>
        <translation>重连延迟(&amp;R)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H&amp;istory:</source>
        <translation>历史(&amp;I)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History si&amp;ze:</source>
        <translation>历史大小(&amp;Z):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page shows on &amp;open:</source>
        <translation>页面打开时显示(&amp;O):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Durability:</source>
        <translation>持久性(&amp;D):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;CORS origin:</source>
        <translation>&amp;CORS 源：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reader to&amp;ken:</source>
        <translation>读者令牌(&amp;K)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Most clients:</source>
        <translation>最多客户端(&amp;M)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Largest &amp;publish:</source>
        <translation>最大发布(&amp;P)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Largest batch:</source>
        <translation>最大批量：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Largest &amp;file:</source>
        <translation>最大文件(&amp;F)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files kept in all:</source>
        <translation>文件总量上限：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files kept for:</source>
        <translation>文件保留时长：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client &amp;buffer:</source>
        <translation>客户端缓冲(&amp;B)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request time&amp;out:</source>
        <translation>请求超时(&amp;O)：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A new port, address, certificate, durability or cluster restarts the service; browsers reconnect by themselves.</source>
        <translation>更改端口、地址、证书、持久性或集群会重启服务；浏览器会自动重新连接。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.key);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>StatusFigures</name>
    <message numerus="yes">
        <location filename="../../ui/statusfigures.cpp" line="+31"/>
        <location line="+5"/>
        <location line="+1"/>
        <source>%n clients</source>
        <translation>
            <numerusform>%n 个客户端</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n streams</source>
        <translation>
            <numerusform>%n 个连接</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 events/s (%2 deliveries/s), %3</source>
        <translation>%1 事件/秒（%2 次送达/秒），%3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Up %1</source>
        <translation>已运行 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>⚠ History is not being saved</source>
        <translation>⚠ 历史记录未能保存</translation>
    </message>
</context>
<context>
    <name>UserAgent</name>
    <message>
        <location filename="../../ui/useragent.cpp" line="+98"/>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>%1 on %2</source>
        <translation>%1（%2）</translation>
    </message>
</context>
</TS>
