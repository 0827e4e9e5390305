<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminPage</name>
    <message>
        <source>Service centre</source>
        <translation>服务中心</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Your password was set by an administrator. Please choose your own password now.</source>
        <translation>您的密码由管理员设置，请现在设置您自己的密码。</translation>
    </message>
    <message>
        <source>At least 8 characters, with both letters and digits.</source>
        <translation>密码至少 8 位，须同时包含字母和数字。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>The two new passwords are not the same.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>密码已修改。</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Clerk Desk — First start</source>
        <translation>Clerk Desk — 首次启动</translation>
    </message>
    <message>
        <source>This PC has no accounts yet. Create the administrator account; the administrator then adds the windows and the clerks.</source>
        <translation>本机还没有任何账户。请先创建系统管理员账户，再由管理员添加窗口和窗口人员。</translation>
    </message>
    <message>
        <source>This service centre</source>
        <translation>本服务中心</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <source>Administrator account</source>
        <translation>系统管理员账户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Create and continue</source>
        <translation>创建并继续</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <source>{0}-{1:02d}-{2:02d}, {3}</source>
        <translation>{0}年{1}月{2}日 {3}</translation>
    </message>
    <message>
        <source>Welcome, {0}</source>
        <translation>{0}，您好</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>登录用户</translation>
    </message>
    <message>
        <source>Service centre</source>
        <translation>服务中心</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>尚未设置</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>What you can do in this version</source>
        <translation>本版本可以使用的功能</translation>
    </message>
    <message>
        <source>Back office (approver mode)</source>
        <translation>后台审批（审批模式）</translation>
    </message>
    <message>
        <source>No window (administration only)</source>
        <translation>未选择窗口（仅做系统管理）</translation>
    </message>
    <message>
        <source>Look up service items, their materials and time limits ({0}).</source>
        <translation>查询事项及其申请材料、办理时限（{0}）。</translation>
    </message>
    <message>
        <source>Set up the service centre, its windows and the accounts ({0}).</source>
        <translation>设置服务中心、窗口和账户（{0}）。</translation>
    </message>
    <message>
        <source>Change your password or sign out (Account menu).</source>
        <translation>修改密码或注销（“账户”菜单）。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Clerk Desk — Sign in</source>
        <translation>Clerk Desk — 登录</translation>
    </message>
    <message>
        <source>Comprehensive window intake</source>
        <translation>综合窗口受理</translation>
    </message>
    <message>
        <source>Site not set up yet</source>
        <translation>服务中心尚未设置</translation>
    </message>
    <message>
        <source>e.g. clerk1</source>
        <translation>例如：clerk1</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <source>Please enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Please enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Clerk Desk Comprehensive Window Intake — {0}</source>
        <translation>Clerk Desk 综合窗口受理 — {0}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>账户(&amp;A)</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Sign out</source>
        <translation>注销(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Clerk Desk</source>
        <translation>关于 Clerk Desk(&amp;A)</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>后台审批</translation>
    </message>
    <message>
        <source>No window</source>
        <translation>未选择窗口</translation>
    </message>
    <message>
        <source>Centre: {0}</source>
        <translation>中心：{0}</translation>
    </message>
    <message>
        <source>Window: {0}</source>
        <translation>窗口：{0}</translation>
    </message>
    <message>
        <source>User: {0}</source>
        <translation>用户：{0}</translation>
    </message>
    <message>
        <source>Clerk Desk {0}
Offline-first intake for township comprehensive service windows.</source>
        <translation>Clerk Desk {0}
乡镇便民服务中心综合窗口受理客户端（断网可用）。</translation>
    </message>
</context>
<context>
    <name>SiteForm</name>
    <message>
        <source>e.g. 421224100</source>
        <translation>例如：421224100</translation>
    </message>
    <message>
        <source>e.g. Tongyang Town Service Centre</source>
        <translation>例如：通山县通羊镇便民服务中心</translation>
    </message>
    <message>
        <source>e.g. 03</source>
        <translation>例如：03</translation>
    </message>
    <message>
        <source>Front window (clerk)</source>
        <translation>前台窗口（窗口人员）</translation>
    </message>
    <message>
        <source>Back office (approver)</source>
        <translation>后台审批（审批人员）</translation>
    </message>
    <message>
        <source>Centre code</source>
        <translation>中心编码</translation>
    </message>
    <message>
        <source>Centre name</source>
        <translation>中心名称</translation>
    </message>
    <message>
        <source>This PC&apos;s code</source>
        <translation>本机编号</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
</context>
<context>
    <name>SiteTab</name>
    <message>
        <source>The centre code is the township&apos;s administrative division code. The PC code is part of every case number issued here, so it cannot change once numbers have been issued.</source>
        <translation>中心编码为乡镇的行政区划代码。本机编号是本机出具的每个办件编号的一部分，出具过办件编号后不能再修改。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The centre settings have been saved.</source>
        <translation>服务中心设置已保存。</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Add an account</source>
        <translation>添加账户</translation>
    </message>
    <message>
        <source>letters and digits, e.g. clerk3</source>
        <translation>字母和数字，例如：clerk3</translation>
    </message>
    <message>
        <source>Must choose a new password at first sign-in</source>
        <translation>首次登录时须修改密码</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>First password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Departments served
(approvers)</source>
        <translation>服务部门
（后台审批）</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Departments served</source>
        <translation>服务部门</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>添加账户…</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked (too many wrong passwords)</source>
        <translation>已锁定（密码输错次数过多）</translation>
    </message>
    <message>
        <source>Active, must change password</source>
        <translation>启用，须修改密码</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Please select an account in the table first.</source>
        <translation>请先在表格中选择一个账户。</translation>
    </message>
    <message>
        <source>Reset the password of {0}?</source>
        <translation>确定要重置 {0} 的密码吗？</translation>
    </message>
    <message>
        <source>The temporary password of {0} is:

{1}

They must choose a new one when they sign in.</source>
        <translation>{0} 的临时密码是：

{1}

其登录时须设置新密码。</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>不能停用自己的账户。</translation>
    </message>
    <message>
        <source>Disable the account of {0}? They will no longer be able to sign in.</source>
        <translation>确定要停用 {0} 的账户吗？停用后将无法登录。</translation>
    </message>
</context>
<context>
    <name>WindowDialog</name>
    <message>
        <source>Add a window</source>
        <translation>添加窗口</translation>
    </message>
    <message>
        <source>e.g. Comprehensive window (4)</source>
        <translation>例如：综合窗口（四）</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Open from</source>
        <translation>开放开始日期</translation>
    </message>
    <message>
        <source>Open until</source>
        <translation>开放结束日期</translation>
    </message>
</context>
<context>
    <name>WindowPickerDialog</name>
    <message>
        <source>Choose your window</source>
        <translation>选择窗口</translation>
    </message>
    <message>
        <source>Hello, {0}. Which window are you at today?</source>
        <translation>{0}，您好。今天您在哪个窗口？</translation>
    </message>
    <message>
        <source>No window is open today. Please ask the administrator to set up the windows.</source>
        <translation>今天没有开放的窗口，请联系系统管理员设置窗口。</translation>
    </message>
    <message>
        <source>Start work</source>
        <translation>开始工作</translation>
    </message>
    <message>
        <source>Skip (no window)</source>
        <translation>跳过（不选窗口）</translation>
    </message>
    <message>
        <source>Back to sign-in</source>
        <translation>返回登录</translation>
    </message>
</context>
<context>
    <name>WindowsTab</name>
    <message>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Open dates</source>
        <translation>开放日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add window…</source>
        <translation>添加窗口…</translation>
    </message>
    <message>
        <source>Close / reopen</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>Please select a window in the table first.</source>
        <translation>请先在表格中选择一个窗口。</translation>
    </message>
    <message>
        <source>Close {0}? Clerks will no longer be able to choose it.</source>
        <translation>确定要停用“{0}”吗？停用后窗口人员将无法选择该窗口。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>The database in {0} cannot be opened: {1}</source>
        <translation>无法打开 {0} 中的数据库：{1}</translation>
    </message>
    <message>
        <source>Demo site {0} (data folder {1})</source>
        <translation>演示中心：{0}（数据文件夹：{1}）</translation>
    </message>
    <message>
        <source>Demo accounts (user name / password / roles):</source>
        <translation>演示账户（用户名 / 密码 / 角色）：</translation>
    </message>
    <message>
        <source>The data folder {0} cannot be created: {1}</source>
        <translation>无法创建数据文件夹 {0}：{1}</translation>
    </message>
    <message>
        <source>Clerk Desk is already running on this computer with this data folder. Please switch to the open window.</source>
        <translation>Clerk Desk 已在本机运行（使用同一数据文件夹）。请切换到已打开的窗口。</translation>
    </message>
    <message>
        <source>Demo site: the accounts and passwords were printed at start and are kept in {0}.</source>
        <translation>演示中心：账户和密码已在启动时打印，并保存在 {0}。</translation>
    </message>
</context>
<context>
    <name>notify</name>
    <message>
        <source>Clerk Desk</source>
        <translation>Clerk Desk</translation>
    </message>
    <message>
        <source>Something went wrong and the action was not completed. Details were written to the log: {0}</source>
        <translation>出现意外错误，本次操作未完成，详细信息已写入日志：{0}</translation>
    </message>
</context>
<context>
    <name>pages</name>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Service catalog</source>
        <translation>事项目录</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
</context>
</TS>
