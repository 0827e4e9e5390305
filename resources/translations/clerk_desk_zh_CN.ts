<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AcceptWithdrawalDialog</name>
    <message>
        <source>Accept the withdrawal</source>
        <translation>同意撤回</translation>
    </message>
    <message>
        <source>Withdraw the case</source>
        <translation>撤回该办件</translation>
    </message>
    <message>
        <source>Asked at the window on {0}: {1}</source>
        <translation>窗口于 {0} 提出：{1}</translation>
    </message>
    <message>
        <source>e.g. the paper materials go back to the window for the applicant</source>
        <translation>例如：纸质材料退回窗口，由申请人领回</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>The case is closed as withdrawn; the window sees it at the next sync.</source>
        <translation>该办件将以“已撤回”办结；窗口在下次同步后看到。</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
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
    <name>AnswerDialog</name>
    <message>
        <source>Answer the supervision order</source>
        <translation>答复督办单</translation>
    </message>
    <message>
        <source>What was done, and why (required)</source>
        <translation>已做了什么、原因是什么（必填）</translation>
    </message>
    <message>
        <source>Send the answer</source>
        <translation>提交说明</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>督办人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>督办事由</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>ApplicantStep</name>
    <message>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Submitted by an agent (assisted application)</source>
        <translation>由代办人提交（帮办代办）</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>代办人</translation>
    </message>
    <message>
        <source>e.g. son, neighbour, village official</source>
        <translation>如：儿子、邻居、村干部</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Resident ID</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Relation to the applicant</source>
        <translation>与申请人关系</translation>
    </message>
    <message>
        <source>At the window</source>
        <translation>现场申请</translation>
    </message>
    <message>
        <source>Hubei Government Service Network</source>
        <translation>湖北政务服务网</translation>
    </message>
    <message>
        <source>E-Hubei app</source>
        <translation>鄂汇办</translation>
    </message>
    <message>
        <source>Online application number</source>
        <translation>网上申报号</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>申请渠道</translation>
    </message>
    <message>
        <source>Application no.</source>
        <translation>申报号</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Born {0}, {1}</source>
        <translation>出生日期 {0}，{1}（请与证件核对）</translation>
    </message>
    <message>
        <source>Organisation name</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Name too long (at most {0} characters)</source>
        <translation>姓名或名称过长（最多 {0} 字）</translation>
    </message>
    <message>
        <source>Please enter the organisation&apos;s name</source>
        <translation>请填写单位名称</translation>
    </message>
    <message>
        <source>Please enter the applicant&apos;s name</source>
        <translation>请填写申请人姓名</translation>
    </message>
    <message>
        <source>Please enter the unified social credit code</source>
        <translation>请填写统一社会信用代码</translation>
    </message>
    <message>
        <source>Please enter the resident ID number</source>
        <translation>请填写身份证号码</translation>
    </message>
    <message>
        <source>Address too long (at most {0} characters)</source>
        <translation>地址过长（最多 {0} 字）</translation>
    </message>
    <message>
        <source>Please enter the agent&apos;s name and relation to the applicant</source>
        <translation>请填写代办人姓名及与申请人的关系</translation>
    </message>
    <message>
        <source>Agent&apos;s name too long (at most {0} characters)</source>
        <translation>代办人姓名过长（最多 {0} 字）</translation>
    </message>
    <message>
        <source>Relation to the applicant too long (at most {0} characters)</source>
        <translation>与申请人的关系过长（最多 {0} 字）</translation>
    </message>
    <message>
        <source>Please enter the online application number</source>
        <translation>请填写网上申报号</translation>
    </message>
</context>
<context>
    <name>ArchivePage</name>
    <message>
        <source>Daily archive: paper originals into each department&apos;s folder</source>
        <translation>归档：纸质原件放入各部门档案袋</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Closed on</source>
        <translation>办结日期</translation>
    </message>
    <message>
        <source>Only the paper kept at the window: cases finished on the spot, refused, or withdrawn before the hand-over. Paper handed to the back office is filed by its department (每日归档 on the approver&apos;s PC).</source>
        <translation>只列窗口自己保管的纸质材料：当场办结、不予受理、流转前撤回的办件。已流转后台的纸质材料由其部门在审批端“每日归档”。</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Closed as</source>
        <translation>办结情况</translation>
    </message>
    <message>
        <source>Closed at</source>
        <translation>办结时间</translation>
    </message>
    <message>
        <source>Materials</source>
        <translation>材料</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Tick all not yet archived</source>
        <translation>勾选全部待归档</translation>
    </message>
    <message>
        <source>Print the list again…</source>
        <translation>补打交接清单…</translation>
    </message>
    <message>
        <source>Archive ticked cases and print the hand-over lists…</source>
        <translation>归档已勾选办件并打印交接清单…</translation>
    </message>
    <message>
        <source>{0}: {1} cases, {2} not yet archived</source>
        <translation>{0}：共 {1} 件，待归档 {2} 件</translation>
    </message>
    <message>
        <source>{0} cases closed, {1} to archive</source>
        <translation>办结 {0} 件，待归档 {1} 件</translation>
    </message>
    <message>
        <source>{0} cases closed on earlier days are not archived yet (the earliest on {1})</source>
        <translation>另有 {0} 件前几日办结的办件尚未归档（最早 {1}），请选择其办结日期归档</translation>
    </message>
    <message>
        <source>Archived {0} ({1})</source>
        <translation>已归档 {0}（{1}）</translation>
    </message>
    <message>
        <source>Tick the cases whose paper original is in the department&apos;s folder</source>
        <translation>请勾选纸质原件已放入部门档案袋的办件</translation>
    </message>
    <message>
        <source>Record {0} cases of {1} as archived and print the hand-over lists of {2} departments?</source>
        <translation>将 {1} 办结的 {0} 件办件记为已归档，并打印 {2} 个部门的归档交接清单？</translation>
    </message>
    <message numerus="yes">
        <source>{0}: %n case(s)</source>
        <translation>
            <numerusform>{0} %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Archived: {0}</source>
        <translation>已归档：{0}</translation>
    </message>
</context>
<context>
    <name>ArrivedDialog</name>
    <message>
        <source>Owed material arrived</source>
        <translation>容缺材料已补齐</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>办件</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Materials</source>
        <translation>材料</translation>
    </message>
    <message>
        <source>Optional: e.g. original checked</source>
        <translation>选填：如 原件已核对</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Record as arrived</source>
        <translation>记录为已补齐</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AssistDialog</name>
    <message>
        <source>Not an online application</source>
        <translation>非网上申请</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AssistStepDialog</name>
    <message>
        <source>帮办代办: record a step</source>
        <translation>帮办代办：记录办理步骤</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Online platform</source>
        <translation>网上申请平台</translation>
    </message>
    <message>
        <source>Application number</source>
        <translation>网上申请号</translation>
    </message>
</context>
<context>
    <name>AttendancePage</name>
    <message>
        <source>On the window (在岗)</source>
        <translation>窗口在岗</translation>
    </message>
    <message>
        <source>My window</source>
        <translation>我的窗口</translation>
    </message>
    <message>
        <source>Monthly sheet</source>
        <translation>月度统计</translation>
    </message>
    <message>
        <source>Sign on</source>
        <translation>签到上岗</translation>
    </message>
    <message>
        <source>Start a break</source>
        <translation>暂离</translation>
    </message>
    <message>
        <source>Sign off</source>
        <translation>签退</translation>
    </message>
    <message>
        <source>Who is on now</source>
        <translation>在岗情况</translation>
    </message>
    <message>
        <source>Signed in at no window: to sign on, choose the window when signing in. Who is on which window: the tab &quot;Who is on now&quot;.</source>
        <translation>未选择窗口登录：签到上岗请在登录时选择窗口。各窗口由谁在岗，见“在岗情况”页。</translation>
    </message>
    <message>
        <source>Not signed on. Window picked at sign-in: {0}</source>
        <translation>尚未签到。登录时选择的窗口：{0}</translation>
    </message>
    <message>
        <source>On a break since {0} ({1})</source>
        <translation>{0} 起暂离（{1}）</translation>
    </message>
    <message>
        <source>On {0} since {1}</source>
        <translation>{1} 起在{0}在岗</translation>
    </message>
    <message>
        <source>End the break</source>
        <translation>结束暂离</translation>
    </message>
    <message>
        <source>Today&apos;s unstaffed time within the opening hours (5 minutes or more):</source>
        <translation>今天开放时间内无人在岗的时段（5 分钟以上）：</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>Save opening hours</source>
        <translation>保存开放时间</translation>
    </message>
    <message>
        <source>Opening hours (working days)</source>
        <translation>开放时间（工作日）</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as .xlsx…</source>
        <translation>另存为 .xlsx…</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>在岗天数</translation>
    </message>
    <message>
        <source>Hours on window</source>
        <translation>在岗小时</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>受理件数</translation>
    </message>
    <message>
        <source>Breaks</source>
        <translation>暂离次数</translation>
    </message>
    <message>
        <source>Not signed off</source>
        <translation>未签退</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Saved: {0}</source>
        <translation>已保存：{0}</translation>
    </message>
    <message>
        <source>Save the monthly sheet</source>
        <translation>保存月度统计表</translation>
    </message>
    <message>
        <source>On the windows now: {0}</source>
        <translation>当前在岗：{0}</translation>
    </message>
    <message>
        <source>{0} {1} (on a break since {2})</source>
        <translation>{0}：{1}（暂离，{2} 起）</translation>
    </message>
    <message>
        <source>{0} {1} (since {2})</source>
        <translation>{0}：{1}（{2} 起）</translation>
    </message>
    <message>
        <source>Nobody is signed on to a window now.</source>
        <translation>当前没有人在窗口签到在岗。</translation>
    </message>
    <message>
        <source>Today is not a working day: the hall is closed, nobody needs to be on.</source>
        <translation>今天不是工作日，大厅不开放，无需在岗。</translation>
    </message>
    <message>
        <source>The hall is closed now (working days {0}): nobody needs to be on.</source>
        <translation>现在不在开放时间（工作日 {0}），无需在岗。</translation>
    </message>
    <message>
        <source>Nobody on now: {0}</source>
        <translation>当前无人在岗：{0}</translation>
    </message>
    <message>
        <source>Every open window has someone on it now.</source>
        <translation>当前开放的窗口均有人在岗。</translation>
    </message>
</context>
<context>
    <name>CalendarWarning</name>
    <message>
        <source>The holiday calendar for {0} is missing at this desk. Due dates over that year are counted on weekends only: screens and receipts mark them as such, and they are counted again when the calendar arrives. Ask county IT to publish the State Council&apos;s arrangement at the county hub (county-hub calendar publish); desks take it in their next sync.</source>
        <translation>本机缺少 {0} 年的节假日安排。落在该年的办结期限只能按双休日推算：屏幕和回执上都注明“按双休日推算，待节假日安排公布后复核”，节假日安排到达后自动重算。请联系县级信息技术人员在县级平台发布国务院的节假日安排（county-hub calendar publish），各窗口电脑在下次同步时自动取得。</translation>
    </message>
</context>
<context>
    <name>CaseFormat</name>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <source>{0} min {1} s</source>
        <translation>{0} 分 {1} 秒</translation>
    </message>
    <message>
        <source>{0} h {1} min</source>
        <translation>{0} 小时 {1} 分</translation>
    </message>
    <message>
        <source>{0} d</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <source>{0} left</source>
        <translation>剩余 {0}</translation>
    </message>
    <message>
        <source>Late {0}</source>
        <translation>超时 {0}</translation>
    </message>
    <message>
        <source>Waiting to upload</source>
        <translation>待上传</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>上传中</translation>
    </message>
    <message>
        <source>Uploaded</source>
        <translation>已上传</translation>
    </message>
    <message>
        <source>Rejected by the hub</source>
        <translation>被退回</translation>
    </message>
    <message>
        <source>Held (an earlier event was rejected)</source>
        <translation>暂缓（前序事件被退回）</translation>
    </message>
    <message>
        <source>Set aside (not uploaded)</source>
        <translation>已搁置（不上传）</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>后台</translation>
    </message>
</context>
<context>
    <name>CaseListPage</name>
    <message>
        <source>Cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <source>Case number, applicant name, ID number or item</source>
        <translation>办件编号、申请人姓名、身份证号或事项</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Transfer to back office</source>
        <translation>流转后台</translation>
    </message>
    <message>
        <source>Hand the selected cases and their paper to the back office</source>
        <translation>将选中的办件及纸质材料交给后台</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>To transfer</source>
        <translation>待流转</translation>
    </message>
    <message>
        <source>In the back office</source>
        <translation>后台办理中</translation>
    </message>
    <message>
        <source>Results to hand over</source>
        <translation>待出件</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>{0} shown</source>
        <translation>已显示 {0} 件</translation>
    </message>
    <message>
        <source>No cases</source>
        <translation>没有办件</translation>
    </message>
    <message>
        <source>{0} cases</source>
        <translation>共 {0} 件</translation>
    </message>
    <message>
        <source>Hand over the paper of {0} case(s) to the back office now?</source>
        <translation>现在将 {0} 件办件的纸质材料交给后台吗？</translation>
    </message>
    <message>
        <source>Past the transfer deadline:</source>
        <translation>以下办件已超过流转时限：</translation>
    </message>
    <message>
        <source>{0} case(s) transferred to the back office</source>
        <translation>已将 {0} 件办件流转后台</translation>
    </message>
</context>
<context>
    <name>CasePage</name>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>代办人</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>申请渠道</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>送达方式</translation>
    </message>
    <message>
        <source>Accepted at</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Transfer deadline</source>
        <translation>流转时限</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>办结时限</translation>
    </message>
    <message>
        <source>Pledge (容缺)</source>
        <translation>容缺承诺</translation>
    </message>
    <message>
        <source>Materials as reviewed</source>
        <translation>材料审查情况</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>办理过程</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Transfer to back office</source>
        <translation>流转后台</translation>
    </message>
    <message>
        <source>A4</source>
        <translation>A4 纸</translation>
    </message>
    <message>
        <source>80 mm roll</source>
        <translation>80 毫米小票</translation>
    </message>
    <message>
        <source>Reprint…</source>
        <translation>补打…</translation>
    </message>
    <message>
        <source>Hand over result…</source>
        <translation>出件…</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>撤回…</translation>
    </message>
    <message>
        <source>Request withdrawal…</source>
        <translation>申请撤回…</translation>
    </message>
    <message>
        <source>(no number)</source>
        <translation>（无编号）</translation>
    </message>
    <message>
        <source>Hand over the paper of case {0} to the back office now?</source>
        <translation>现在将办件 {0} 的纸质材料交给后台吗？</translation>
    </message>
    <message>
        <source>This transfer is past its deadline ({0}).</source>
        <translation>该办件已超过流转时限（{0}）。</translation>
    </message>
    <message>
        <source>Transferred to the back office</source>
        <translation>已流转后台</translation>
    </message>
    <message>
        <source>Result handed over</source>
        <translation>已出件</translation>
    </message>
    <message>
        <source>Withdrawal requested: waiting for the back office</source>
        <translation>撤回申请中：等待后台处理</translation>
    </message>
    <message>
        <source>Withdrawal requested on {0}: {1} (waiting for the back office)</source>
        <translation>撤回申请中（{0} 提出）：{1}（等待后台处理）</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>Withdrawal requested: the back office will answer</source>
        <translation>已申请撤回，等待后台处理</translation>
    </message>
    <message>
        <source>Printed: {0}</source>
        <translation>已打印：{0}</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>legal representative {0}</source>
        <translation>法定代表人 {0}</translation>
    </message>
    <message>
        <source> (application {0})</source>
        <translation>（申请号 {0}）</translation>
    </message>
    <message>
        <source> ({0})</source>
        <translation>（{0}）</translation>
    </message>
    <message>
        <source>by {0}</source>
        <translation>{0} 前</translation>
    </message>
    <message>
        <source>{0} working days</source>
        <translation>{0} 个工作日</translation>
    </message>
    <message>
        <source>confirmed by the department</source>
        <translation>经部门确认</translation>
    </message>
    <message>
        <source>(provisional: next year&apos;s holidays not yet known)</source>
        <translation>（按双休日推算，待节假日安排公布后复核）</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Urgent (hand over within 5 minutes)</source>
        <translation>紧急（5 分钟内流转后台）</translation>
    </message>
    <message>
        <source>Normal (hand over within 15 minutes)</source>
        <translation>一般（15 分钟内流转后台）</translation>
    </message>
    <message>
        <source>; set at the window: {0}</source>
        <translation>；窗口标注，理由：{0}</translation>
    </message>
    <message>
        <source>Back for supplement: hand over again once complete</source>
        <translation>退回补正：补齐后再次流转后台</translation>
    </message>
    <message>
        <source>Handed over at {0}</source>
        <translation>已于 {0} 流转后台</translation>
    </message>
    <message>
        <source>OVERDUE</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>originally {0} (clock stopped; moves later by the paused working days when resumed)</source>
        <translation>原定 {0}（暂停计时，恢复计时后按暂停的工作日顺延）</translation>
    </message>
    <message>
        <source>counted on the {0} public holiday arrangement</source>
        <translation>按 {0} 年节假日安排计算</translation>
    </message>
    <message>
        <source>Holiday calendar version: {0}</source>
        <translation>节假日日历版本：{0}</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未补齐</translation>
    </message>
    <message>
        <source>fulfilled</source>
        <translation>已补齐</translation>
    </message>
    <message>
        <source>{0}, owed by {1} ({2})</source>
        <translation>{0}，承诺 {1} 前补齐（{2}）</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>材料</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Provided</source>
        <translation>提供</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审查结果</translation>
    </message>
    <message>
        <source>Waivable</source>
        <translation>可容缺</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必需</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>非必需</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Window / back office</source>
        <translation>窗口/后台</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>, reprint {0}</source>
        <translation>，第 {0} 次补打</translation>
    </message>
    <message>
        <source>Transferred after the deadline</source>
        <translation>超过时限流转</translation>
    </message>
    <message>
        <source>{0} (name not recorded)</source>
        <translation>{0}（未记录姓名）</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Accepted at</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Transfer in</source>
        <translation>流转时限</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>办结时限</translation>
    </message>
    <message>
        <source>(no number)</source>
        <translation>（无编号）</translation>
    </message>
    <message>
        <source>[Urgent] {0}</source>
        <translation>【急】{0}</translation>
    </message>
    <message>
        <source>{0} change(s) not yet uploaded to the county hub</source>
        <translation>{0} 项变更尚未上传到县级平台</translation>
    </message>
    <message>
        <source>Hand over by {0}</source>
        <translation>请在 {0} 前流转后台</translation>
    </message>
    <message>
        <source>{0} is the date before the clock stopped (特别程序); it moves later by the paused working days when resumed</source>
        <translation>{0} 是暂停计时（特别程序）前的办结期限，恢复计时后按暂停的工作日顺延</translation>
    </message>
    <message>
        <source>{0}: counted on weekends only; to be checked when the holiday calendar is published</source>
        <translation>{0}：按双休日推算，待节假日安排公布后复核</translation>
    </message>
</context>
<context>
    <name>CatalogBrowser</name>
    <message>
        <source>Search: name, pinyin, initials (cxjm), colloquial name or code</source>
        <translation>搜索：事项名称、拼音、首字母（如 cxjm）、俗称或编码</translation>
    </message>
    <message>
        <source>Show retired</source>
        <translation>显示已停用</translation>
    </message>
    <message>
        <source>Print lists…</source>
        <translation>打印清单…</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>All lists</source>
        <translation>全部清单</translation>
    </message>
    <message>
        <source>Save as PDF: %1</source>
        <translation>导出PDF：%1</translation>
    </message>
    <message>
        <source>Print: %1</source>
        <translation>打印：%1</translation>
    </message>
    <message>
        <source>No catalog imported yet</source>
        <translation>尚未导入事项目录</translation>
    </message>
    <message>
        <source> (demo)</source>
        <translation>（演示）</translation>
    </message>
    <message>
        <source>Catalog version %1%2 · %3</source>
        <translation>目录版本 %1%2 · %3</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>一件事</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Not at this window</source>
        <translation>本窗口不受理</translation>
    </message>
    <message>
        <source> (first %1 shown)</source>
        <translation>（仅显示前 %1 项）</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>共 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Save list as PDF</source>
        <translation>将清单导出为PDF</translation>
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
    <name>ChecklistStep</name>
    <message>
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Provided</source>
        <translation>已提供</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题说明</translation>
    </message>
    <message>
        <source>All required provided (Ctrl+A)</source>
        <translation>必需材料均已提供 (Ctrl+A)</translation>
    </message>
    <message>
        <source>Space: provided · Enter: next row · X: defective, with the reason · F2: edit a cell</source>
        <translation>空格：已提供 · 回车：下一行 · X：有问题并填写原因 · F2：修改单元格</translation>
    </message>
    <message>
        <source>In order</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Has a problem</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>shared by {0} items</source>
        <translation>{0} 个事项共用</translation>
    </message>
    <message>
        <source>each %1</source>
        <translation>各%1</translation>
    </message>
    <message>
        <source>All {0} required materials provided and in order.</source>
        <translation>{0} 项必需材料均已提供且合格。</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必需</translation>
    </message>
    <message>
        <source>The applicant&apos;s situation decides which materials apply: ↑ ↓ change an answer, Enter goes on.</source>
        <translation>申请人的情形决定要交哪些材料：↑ ↓ 改答案，回车到下一项。</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>非必需</translation>
    </message>
    <message>
        <source>may be owed</source>
        <translation>可容缺</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>The catalog lists no materials for this item.</source>
        <translation>目录中该事项未列出申请材料。</translation>
    </message>
    <message>
        <source>Missing or defective: %1</source>
        <translation>缺少或有问题：%1</translation>
    </message>
</context>
<context>
    <name>ConsultationPage</name>
    <message>
        <source>Consultation desk (咨询服务窗口)</source>
        <translation>咨询服务窗口</translation>
    </message>
    <message>
        <source>Consultations</source>
        <translation>咨询登记</translation>
    </message>
    <message>
        <source>帮办代办</source>
        <translation>帮办代办</translation>
    </message>
    <message>
        <source>What the person asked about</source>
        <translation>群众咨询的问题</translation>
    </message>
    <message>
        <source>Type to find the item (optional)</source>
        <translation>输入查找事项（可不填）</translation>
    </message>
    <message>
        <source>(no item)</source>
        <translation>（不涉及具体事项）</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已解答</translation>
    </message>
    <message>
        <source>Referred</source>
        <translation>已转介</translation>
    </message>
    <message>
        <source>Referred to (window, department)</source>
        <translation>转介去向（窗口、部门）</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>only if given</source>
        <translation>本人提供时填写</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>咨询内容</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Time taken</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Name, phone, ID</source>
        <translation>姓名、电话、身份证</translation>
    </message>
    <message>
        <source>Record (Enter)</source>
        <translation>登记（回车）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>被帮办人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>帮办事项</translation>
    </message>
    <message>
        <source>Helped by</source>
        <translation>帮办人</translation>
    </message>
    <message>
        <source>Online application</source>
        <translation>网上申请</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>已办步骤</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>New request (委托)…</source>
        <translation>新建帮办（委托）…</translation>
    </message>
    <message>
        <source>Record next step…</source>
        <translation>记录下一步…</translation>
    </message>
    <message>
        <source>Recorded the request (委托): {0}  {1}</source>
        <translation>已登记帮办代办委托：{0}  {1}</translation>
    </message>
    <message>
        <source>Recorded {0}: {1}  {2}</source>
        <translation>已记录“{0}”：{1}  {2}</translation>
    </message>
    <message>
        <source>{0} consultations today</source>
        <translation>今日咨询 {0} 次</translation>
    </message>
    <message>
        <source>{0} open</source>
        <translation>未完成 {0} 件</translation>
    </message>
</context>
<context>
    <name>CountyPage</name>
    <message>
        <source>d</source>
        <translation>天</translation>
    </message>
    <message>
        <source>h</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>min</source>
        <translation>分</translation>
    </message>
    <message>
        <source>late %1</source>
        <translation>已超时 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>late %1 working days</source>
        <translation>已超期 %1 个工作日</translation>
    </message>
    <message>
        <source>%1 working days left</source>
        <translation>剩余 %1 个工作日</translation>
    </message>
    <message>
        <source>late %1 days</source>
        <translation>已超期 %1 天</translation>
    </message>
    <message>
        <source>%1 days left</source>
        <translation>剩余 %1 天</translation>
    </message>
    <message>
        <source>due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>County figures by township</source>
        <translation>全县统计（按乡镇）</translation>
    </message>
    <message>
        <source>all townships</source>
        <translation>全部乡镇</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Dept.</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Intakes</source>
        <translation>收件</translation>
    </message>
    <message>
        <source>Told once</source>
        <translation>一次性告知率</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>不予受理率</translation>
    </message>
    <message>
        <source>On the spot</source>
        <translation>即办件占比</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待取件</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>移交</translation>
    </message>
    <message>
        <source>In time</source>
        <translation>移交及时率</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>By due date</source>
        <translation>按时办结率</translation>
    </message>
    <message>
        <source>Avg h</source>
        <translation>平均小时</translation>
    </message>
    <message>
        <source>P90 h</source>
        <translation>P90小时</translation>
    </message>
    <message>
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>程度</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>How late</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Dept. / item</source>
        <translation>部门 / 事项</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>申请渠道</translation>
    </message>
    <message>
        <source>Volumes</source>
        <translation>办件量</translation>
    </message>
    <message>
        <source>Timeliness</source>
        <translation>时效</translation>
    </message>
    <message>
        <source>Late and at risk</source>
        <translation>超时与预警</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>By item</source>
        <translation>按事项</translation>
    </message>
    <message>
        <source>By channel</source>
        <translation>按渠道</translation>
    </message>
    <message>
        <source>The end of the period comes before its start.</source>
        <translation>统计期的结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Asking the county hub…</source>
        <translation>正在查询县级平台…</translation>
    </message>
    <message>
        <source> (the first %1 shown)</source>
        <translation>（显示前 %1 件）</translation>
    </message>
    <message>
        <source>%1 to %2: %3 townships; %4 cases late or at risk%5</source>
        <translation>%1 至 %2：%3 个乡镇；超时或预警 %4 件%5</translation>
    </message>
</context>
<context>
    <name>DecideDialog</name>
    <message>
        <source>Decision</source>
        <translation>审批决定</translation>
    </message>
    <message>
        <source>Record the decision</source>
        <translation>保存决定</translation>
    </message>
    <message>
        <source>Approve (准予)</source>
        <translation>准予</translation>
    </message>
    <message>
        <source>Deny (不予)</source>
        <translation>不予</translation>
    </message>
    <message>
        <source>e.g. registration cancelled; the licence issued</source>
        <translation>例如：准予注销登记；核发证照名称</translation>
    </message>
    <message>
        <source>e.g. 通人社〔2026〕12号</source>
        <translation>例如：通人社〔2026〕12号</translation>
    </message>
    <message>
        <source>Required to deny: the reason and its legal basis</source>
        <translation>不予时必填：理由及法律依据</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>审批结果</translation>
    </message>
    <message>
        <source>Document number</source>
        <translation>文书编号</translation>
    </message>
    <message>
        <source>Reason / note</source>
        <translation>理由 / 说明</translation>
    </message>
</context>
<context>
    <name>DeskSync</name>
    <message>
        <source>The case pages are not available in this version.</source>
        <translation>此版本没有办件页面。</translation>
    </message>
    <message>
        <source>Records sent back</source>
        <translation>有记录被退回</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>查看详情</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>User accounts</source>
        <translation>用户账户</translation>
    </message>
    <message>
        <source>The county hub&apos;s user list names accounts that were created on this PC: {0}. The accounts on this PC are kept as they are (name, password and roles); the county hub&apos;s accounts of these names cannot sign in on this PC. Tell county IT, who decide which account stays.</source>
        <translation>县级平台的用户目录中有与本机创建的账户同名的账户：{0}。本机的这些账户保持不变（姓名、密码和角色都不变），县级平台的同名账户不能在本机登录。请告知县级信息技术人员，由他们决定保留哪个账户。</translation>
    </message>
    <message>
        <source>The county hub sent back records of these cases: {0}. The cases show their state as the county hub has it. Open the sync details to see why and what to do.</source>
        <translation>县级平台退回了以下办件的记录：{0}。这些办件已恢复为县级平台上的状态。请打开同步详情查看原因和处理办法。</translation>
    </message>
    <message>
        <source>This PC is enrolled with the county hub, but the Windows account {0} has no connection credential yet. Credentials are kept per Windows account (in its own secure store), so each account that uses this PC enrols once, with its own code from county IT. Until then this account&apos;s cases wait on this PC.</source>
        <translation>本机已注册到县级平台，但当前 Windows 账户（{0}）还没有连接凭据。凭据按 Windows 账户保存（存放在该账户自己的安全存储中），所以每个使用本机的 Windows 账户都要用县级信息技术人员提供的注册码注册一次。在此之前，本账户下办理的办件暂存在本机。</translation>
    </message>
    <message>
        <source>This PC is already enrolled. Enrolling again replaces this Windows account&apos;s credential; the cases on this PC are kept.</source>
        <translation>本机已注册。重新注册会替换当前 Windows 账户的连接凭据，本机的办件不受影响。</translation>
    </message>
    <message>
        <source>Enrolled with the county hub: centre {0}, PC number {1}. Cases now go to the county hub by themselves.</source>
        <translation>已注册到县级平台：中心 {0}，本机编号 {1}。办件今后会自动上传到县级平台。</translation>
    </message>
    <message>
        <source>The county hub set this PC&apos;s mode: sign out and in again to switch.</source>
        <translation>县级平台为本机设置了不同的工作模式，请退出登录后重新登录以切换。</translation>
    </message>
</context>
<context>
    <name>DonePanel</name>
    <message>
        <source>Print A4  (P)</source>
        <translation>打印 A4  (P)</translation>
    </message>
    <message>
        <source>Print 80 mm slip  (R)</source>
        <translation>打印 80mm 小票  (R)</translation>
    </message>
    <message>
        <source>Preview  (V)</source>
        <translation>打印预览  (V)</translation>
    </message>
    <message>
        <source>Print pledge letter  (C)</source>
        <translation>打印容缺承诺书  (C)</translation>
    </message>
    <message>
        <source>Hand over to the back office  (T)</source>
        <translation>流转后台  (T)</translation>
    </message>
    <message>
        <source>Applicant&apos;s rating…  (E)</source>
        <translation>请申请人评价…  (E)</translation>
    </message>
    <message>
        <source>Next applicant  (N)</source>
        <translation>下一位  (N)</translation>
    </message>
    <message>
        <source>Accepted with a material owed</source>
        <translation>已容缺受理</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <source>Finished on the spot</source>
        <translation>已当场办结</translation>
    </message>
    <message>
        <source>One-time notice given</source>
        <translation>已一次性告知</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Notice number</source>
        <translation>告知书编号</translation>
    </message>
    <message>
        <source>Due by {0} ({1} working days)</source>
        <translation>承诺办结日期：{0}（{1} 个工作日）</translation>
    </message>
    <message>
        <source>, time limit confirmed by the department</source>
        <translation>，时限经承办部门确认</translation>
    </message>
    <message>
        <source>, estimated: next year&apos;s holidays are not published yet</source>
        <translation>，按双休日推算，待节假日安排公布后复核</translation>
    </message>
    <message>
        <source>Handed over to the back office at {0}</source>
        <translation>已于 {0} 流转后台</translation>
    </message>
    <message>
        <source>Hand over to the back office: {0}</source>
        <translation>流转后台：{0}</translation>
    </message>
    <message>
        <source>Hand-over to the back office is late by {0}</source>
        <translation>流转后台已超时 {0}</translation>
    </message>
    <message>
        <source>{0} printed.</source>
        <translation>{0}已打印。</translation>
    </message>
    <message>
        <source>{0} reprinted, marked as reprint no. {1}.</source>
        <translation>{0}已补打（第 {1} 次补打）。</translation>
    </message>
    <message>
        <source>{0} case(s) transferred to the back office</source>
        <translation>已将 {0} 件办件流转后台</translation>
    </message>
    <message>
        <source>Rating recorded: {0}</source>
        <translation>已记录评价：{0}</translation>
    </message>
</context>
<context>
    <name>DraftBanner</name>
    <message>
        <source>&amp;Continue</source>
        <translation>继续(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Discard…</source>
        <translation>放弃(&amp;D)…</translation>
    </message>
    <message>
        <source>Unfinished intake saved at {0}: {1}</source>
        <translation>有未完成的受理（保存于 {0}）：{1}</translation>
    </message>
    <message>
        <source>(nothing named yet)</source>
        <translation>（尚未填写事项和姓名）</translation>
    </message>
    <message>
        <source> (and {0} more)</source>
        <translation>（另有 {0} 份）</translation>
    </message>
    <message>
        <source>Discard this unfinished intake? What was typed in it will be deleted.</source>
        <translation>放弃这份未完成的受理吗？其中已填写的内容将被删除。</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <source>Enrol with the county hub</source>
        <translation>注册到县级平台</translation>
    </message>
    <message>
        <source>Enrol this PC with the county hub</source>
        <translation>把本机注册到县级平台</translation>
    </message>
    <message>
        <source>Only if county IT gave you one (.pem)</source>
        <translation>仅当县级信息技术人员提供了证书文件时填写（.pem）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Enrol later</source>
        <translation>稍后注册</translation>
    </message>
    <message>
        <source>County hub address</source>
        <translation>县级平台地址</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <source>CA certificate (optional)</source>
        <translation>CA 证书（可选）</translation>
    </message>
    <message>
        <source>County IT gives each hall PC a one-time enrolment code. Once enrolled, cases go to the county hub by themselves whenever the link is up. Without enrolment the PC works offline only: cases are kept here and the status bar shows &apos;Not enrolled&apos;.</source>
        <translation>县级信息技术人员会为每台窗口电脑提供一次性注册码。注册后，只要网络连通，办件会自动上传到县级平台。不注册也可以使用：办件只保存在本机，状态栏显示“未注册”。</translation>
    </message>
    <message>
        <source>Choose the county&apos;s CA certificate</source>
        <translation>选择县级 CA 证书</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>正在注册…</translation>
    </message>
</context>
<context>
    <name>EvaluationPage</name>
    <message>
        <source>Ratings (好差评)</source>
        <translation>好差评</translation>
    </message>
    <message>
        <source>Closed today, not rated yet</source>
        <translation>今日办结、尚未评价的办件</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Closed as</source>
        <translation>办结情况</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Rate…</source>
        <translation>评价…</translation>
    </message>
    <message>
        <source>Dissatisfied ratings: return calls</source>
        <translation>不满意评价回访</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Rated at</source>
        <translation>评价时间</translation>
    </message>
    <message>
        <source>Return call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Show those already called back</source>
        <translation>显示已回访的</translation>
    </message>
    <message>
        <source>Record return call…</source>
        <translation>登记回访…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>未回访</translation>
    </message>
    <message>
        <source>{0} to rate, {1} return calls open</source>
        <translation>待评价 {0} 件，待回访 {1} 件</translation>
    </message>
    <message>
        <source>Recorded: case {0} rated “{1}”</source>
        <translation>已记录：办件 {0} 评价为“{1}”</translation>
    </message>
    <message>
        <source>, put on the return-call list</source>
        <translation>，已列入回访名单</translation>
    </message>
    <message>
        <source>Recorded: the return call on case {0}</source>
        <translation>已记录：办件 {0} 的回访</translation>
    </message>
</context>
<context>
    <name>ExcuseDialog</name>
    <message>
        <source>Excuse a violation</source>
        <translation>违规免责认定</translation>
    </message>
    <message>
        <source>The violation stays in the record, marked excused with this reason.</source>
        <translation>违规记录不会删除，只标注为已免责并保留理由。</translation>
    </message>
    <message>
        <source>Why it is excused (required)</source>
        <translation>免责理由（必填）</translation>
    </message>
    <message>
        <source>Excuse</source>
        <translation>认定免责</translation>
    </message>
    <message>
        <source>Violation</source>
        <translation>违规记录</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>FiguresTab</name>
    <message>
        <source>Export .xlsx…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Save report as PDF…</source>
        <translation>月报存为 PDF…</translation>
    </message>
    <message>
        <source>Print report…</source>
        <translation>打印月报…</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Charts need the QtCharts module (PySide6-Addons).</source>
        <translation>图表需要 QtCharts 组件（PySide6-Addons），本机未安装。</translation>
    </message>
    <message>
        <source>{0}%</source>
        <translation>{0}%</translation>
    </message>
    <message>
        <source>Intake acts {0}; transfers on time {1}; decisions within the promised days {2}; results waiting at the month&apos;s end {3}</source>
        <translation>接件 {0} 件；按时流转率 {1}；承诺时限内办结率 {2}；月末待领取结果 {3} 件</translation>
    </message>
    <message>
        <source>Intake acts per day</source>
        <translation>每日接件量</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>按日接件量</translation>
    </message>
    <message>
        <source>Intake acts</source>
        <translation>接件量</translation>
    </message>
    <message>
        <source>Per window (办件均衡)</source>
        <translation>按窗口接件量（办件均衡）</translation>
    </message>
    <message>
        <source>Export the tables</source>
        <translation>导出统计表</translation>
    </message>
    <message>
        <source>Saved: {0}</source>
        <translation>已保存：{0}</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存统计月报</translation>
    </message>
</context>
<context>
    <name>FilingPage</name>
    <message>
        <source>Daily filing: the paper signed for, into each department&apos;s folder</source>
        <translation>每日归档：已签收的纸质材料归入本部门档案</translation>
    </message>
    <message>
        <source>Signed for on</source>
        <translation>签收日期</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Signed for</source>
        <translation>签收时间</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>File the ticked paper and print the lists…</source>
        <translation>归档勾选的材料并打印交接清单…</translation>
    </message>
    <message>
        <source>Print the lists again…</source>
        <translation>补打交接清单…</translation>
    </message>
    <message>
        <source>Withdrawn {0} (after the hand-over)</source>
        <translation>{0} 流转后撤回</translation>
    </message>
    <message>
        <source>Filed {0}</source>
        <translation>已归档 {0}</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) signed for</source>
        <translation>
            <numerusform>签收 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} cases signed for on earlier days are not filed yet (the earliest on {1})</source>
        <translation>前几日签收的 {0} 件纸质材料尚未归档（最早为 {1}）</translation>
    </message>
    <message numerus="yes">
        <source>Filed: %n case(s)</source>
        <translation>
            <numerusform>已归档 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>First start</source>
        <translation>首次启动</translation>
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
    <name>FollowUpDialog</name>
    <message>
        <source>Return call on a rating</source>
        <translation>差评回访</translation>
    </message>
    <message>
        <source>e.g. phone call, home visit</source>
        <translation>如：电话回访、上门回访</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>回访情况</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>回访日期</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Hand over the result</source>
        <translation>出件</translation>
    </message>
    <message>
        <source>18-digit resident ID</source>
        <translation>18 位居民身份证号码</translation>
    </message>
    <message>
        <source>The recipient&apos;s ID card was checked</source>
        <translation>已核验领取人身份证件</translation>
    </message>
    <message>
        <source>e.g. 鄂汇办, an e-mail address</source>
        <translation>例如：鄂汇办、电子邮箱</translation>
    </message>
    <message>
        <source>Print the hand-over receipt for the recipient to sign</source>
        <translation>打印出件回执（由领取人签字）</translation>
    </message>
    <message>
        <source>A4</source>
        <translation>A4 纸</translation>
    </message>
    <message>
        <source>80 mm roll</source>
        <translation>80 毫米小票</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>确认出件</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>审批结果</translation>
    </message>
    <message>
        <source>How</source>
        <translation>送达方式</translation>
    </message>
    <message>
        <source>Collected by</source>
        <translation>领取人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>邮件单号</translation>
    </message>
    <message>
        <source>Sent to</source>
        <translation>送达渠道</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
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
        <source>Waiting for you now</source>
        <translation>现在待办</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>No window (hall management: supervision, figures)</source>
        <translation>未选择窗口（大厅管理：督查督办、统计）</translation>
    </message>
    <message>
        <source>The work waiting could not be read: {0}</source>
        <translation>待办事项读取失败：{0}</translation>
    </message>
    <message>
        <source>Nothing is waiting for you now.</source>
        <translation>现在没有待办的办件。</translation>
    </message>
    <message>
        <source>Waiting to be handed to the back office: {0}</source>
        <translation>待流转后台 {0} 件</translation>
    </message>
    <message>
        <source>, {0} late</source>
        <translation>，其中 {0} 件已超时</translation>
    </message>
    <message>
        <source>, {0} due soon</source>
        <translation>，{0} 件即将超时</translation>
    </message>
    <message>
        <source>Results back to hand over: {0}</source>
        <translation>结果待出件 {0} 件</translation>
    </message>
    <message>
        <source>To sign for: {0}</source>
        <translation>待签收 {0} 件</translation>
    </message>
    <message>
        <source>Due within a working day or late: {0}</source>
        <translation>一个工作日内到期或已超期 {0} 件</translation>
    </message>
    <message>
        <source>, {0} overdue</source>
        <translation>，其中 {0} 件已超期</translation>
    </message>
    <message>
        <source>Supervision orders to answer: {0}</source>
        <translation>待答复的督办单 {0} 件</translation>
    </message>
    <message>
        <source>{0} · {1} · answer by {2}</source>
        <translation>{0} · {1} · 答复期限 {2}</translation>
    </message>
    <message>
        <source>{0}: {1} late, {2} due soon</source>
        <translation>{0}：已超期 {1} 件，将到期 {2} 件</translation>
    </message>
    <message>
        <source>Supervision orders not answered: {0}</source>
        <translation>督办单未答复 {0} 件</translation>
    </message>
    <message>
        <source>, {0} past their date</source>
        <translation>，其中 {0} 件已逾期</translation>
    </message>
    <message>
        <source>Late at this centre</source>
        <translation>本中心超时情况</translation>
    </message>
    <message>
        <source>Past the hand-over limit (5 / 15 minutes): {0}</source>
        <translation>超过流转时限（5 / 15 分钟）未流转：{0} 件</translation>
    </message>
    <message>
        <source>Past the promised date in the back office: {0}</source>
        <translation>后台审批已超过承诺办结日期：{0} 件</translation>
    </message>
    <message>
        <source>Results waiting at the window: {0}</source>
        <translation>结果待出件：{0} 件</translation>
    </message>
    <message>
        <source>Back office (approver mode)</source>
        <translation>后台审批（审批模式）</translation>
    </message>
    <message>
        <source>No window (administration only)</source>
        <translation>未选择窗口（仅做系统管理）</translation>
    </message>
</context>
<context>
    <name>Inbox</name>
    <message>
        <source>{0} (again, after supplement)</source>
        <translation>{0}（补正后重新流转）</translation>
    </message>
    <message>
        <source>{0} (took {1} min, limit {2}: late)</source>
        <translation>{0}（用时 {1} 分，限 {2} 分，超时）</translation>
    </message>
    <message>
        <source>{0} (took {1} min, limit {2})</source>
        <translation>{0}（用时 {1} 分，限 {2} 分）</translation>
    </message>
    <message>
        <source>Sign-for late {0}</source>
        <translation>签收超时 {0}</translation>
    </message>
    <message>
        <source>Sign for within {0}</source>
        <translation>签收剩余 {0}</translation>
    </message>
    <message>
        <source>To be signed for within {0} min of the hand-over (the county&apos;s supervision limit)</source>
        <translation>流转后 {0} 分钟内签收（县级督办时限）</translation>
    </message>
    <message>
        <source>{0} (out for supplement)</source>
        <translation>{0}（补正中）</translation>
    </message>
    <message>
        <source>originally due {0} (clock stopped; moves later by the paused working days when resumed)</source>
        <translation>原定 {0} 到期（暂停计时，恢复后顺延）</translation>
    </message>
    <message>
        <source>originally {0}, {1} working day(s) left (clock stopped; moves later by the paused working days when resumed)</source>
        <translation>原定 {0}，剩 {1} 个工作日（暂停计时，恢复后顺延）</translation>
    </message>
    <message>
        <source>{0} overdue by {1} working day(s)</source>
        <translation>{0} 已超期 {1} 个工作日</translation>
    </message>
    <message>
        <source>{0} overdue</source>
        <translation>{0} 已超期</translation>
    </message>
    <message>
        <source>{0} due today</source>
        <translation>{0} 今日到期</translation>
    </message>
    <message>
        <source>{0}, {1} working day(s) left</source>
        <translation>{0}，剩 {1} 个工作日</translation>
    </message>
    <message>
        <source> (clock stopped)</source>
        <translation>（暂停计时）</translation>
    </message>
    <message>
        <source> (counted on weekends only; to be checked when the holiday calendar is published)</source>
        <translation>（按双休日推算，待节假日安排公布后复核）</translation>
    </message>
    <message>
        <source>The clock does not run while the case is out for supplement: the due date moves later when the window hands it over again</source>
        <translation>补正期间不计时：窗口再次流转后，办结时限相应顺延</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>准予</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>不予</translation>
    </message>
    <message>
        <source>Handed over: {0}</source>
        <translation>流转时间：{0}</translation>
    </message>
</context>
<context>
    <name>InboxListPage</name>
    <message>
        <source>Back-office inbox</source>
        <translation>后台收件箱</translation>
    </message>
    <message>
        <source>Case number, applicant name or ID number</source>
        <translation>办件编号、申请人姓名或身份证号码</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>To sign for</source>
        <translation>待签收</translation>
    </message>
    <message>
        <source>In hand</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>Decided, to return</source>
        <translation>已决定待返回</translation>
    </message>
    <message>
        <source>Withdrawal requests</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Departments served: {0}</source>
        <translation>负责部门：{0}</translation>
    </message>
    <message>
        <source>This account serves no department: ask the administrator</source>
        <translation>本账户未分配负责部门，请联系管理员</translation>
    </message>
    <message>
        <source>No cases</source>
        <translation>没有办件</translation>
    </message>
    <message>
        <source>{0} cases</source>
        <translation>共 {0} 件</translation>
    </message>
</context>
<context>
    <name>InboxTableModel</name>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>流转时间</translation>
    </message>
    <message>
        <source>Due (working days left)</source>
        <translation>办结时限（剩余工作日）</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>The window asked to withdraw this case: {0}</source>
        <translation>窗口申请撤回该办件：{0}</translation>
    </message>
    <message>
        <source>{0} change(s) not yet uploaded to the county hub</source>
        <translation>{0} 项变更尚未上传县级平台</translation>
    </message>
    <message>
        <source>(no number)</source>
        <translation>（无编号）</translation>
    </message>
</context>
<context>
    <name>IntakePage</name>
    <message>
        <source>Draft saved automatically at {0}</source>
        <translation>草稿已自动保存 {0}</translation>
    </message>
    <message>
        <source>Draft not saved: {0}</source>
        <translation>草稿未能保存：{0}</translation>
    </message>
    <message>
        <source>Back  (Esc)</source>
        <translation>上一步  (Esc)</translation>
    </message>
    <message>
        <source>Next  (Ctrl+Enter)</source>
        <translation>下一步  (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Materials</source>
        <translation>材料初审</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>continues notice {0}</source>
        <translation>续办告知书 {0}</translation>
    </message>
    <message>
        <source>“{0}” has been retired from the catalog since this draft was saved. Choose the item that replaces it; the applicant&apos;s details stay.</source>
        <translation>“{0}”在草稿保存后已从事项目录中停用。请选择替代它的事项，申请人信息会保留。</translation>
    </message>
    <message>
        <source>Set this intake aside and start a new one? It stays saved as a draft and can be continued later.</source>
        <translation>暂存本次受理并开始新的受理吗？本次内容会保存为草稿，之后可以继续办理。</translation>
    </message>
</context>
<context>
    <name>IssueDialog</name>
    <message>
        <source>Issue a supervision order</source>
        <translation>发出督办单</translation>
    </message>
    <message>
        <source>What the holder must explain (required)</source>
        <translation>请经办人说明的事项（必填）</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>发出</translation>
    </message>
    <message numerus="yes">
        <source>This case already has %n order(s) not yet answered (the first issued by {0} on {1}, to be answered by {2}).</source>
        <translation>
            <numerusform>该办件已有 %n 份未答复的督办单（{0} 于 {1} 发出，答复期限 {2}）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Case</source>
        <translation>办件</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>督办事由</translation>
    </message>
    <message>
        <source>Answer by</source>
        <translation>答复期限</translation>
    </message>
</context>
<context>
    <name>ItemPage</name>
    <message>
        <source>To be confirmed</source>
        <translation>待确认</translation>
    </message>
    <message>
        <source>local code</source>
        <translation>本地编码，待县级确认</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Materials checklist</source>
        <translation>申请材料清单</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>信息来源</translation>
    </message>
    <message>
        <source>not in this catalog</source>
        <translation>本机目录中没有</translation>
    </message>
    <message>
        <source>Demo bundle</source>
        <translation>演示主题</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>包含事项</translation>
    </message>
    <message>
        <source>Merged checklist (a shared material is asked once)</source>
        <translation>合并材料清单（共用材料只收一次）</translation>
    </message>
    <message>
        <source>Situations (the answers decide which materials apply)</source>
        <translation>办理情形（按答案确定所需材料）</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>only when: %1</source>
        <translation>仅当：%1</translation>
    </message>
    <message>
        <source>Taken from a service guide of another province (%1: %2): materials and time limits must be confirmed by the county&apos;s department before use.</source>
        <translation>本事项取自外省（%1）的办事指南（%2）：材料和时限须经本县承办部门核实后使用。</translation>
    </message>
    <message numerus="yes">
        <source>%n working day(s)</source>
        <translation>
            <numerusform>%n 个工作日</numerusform>
        </translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必需</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>If applicable</source>
        <translation>视情形提供</translation>
    </message>
    <message>
        <source>may be pledged (容缺)</source>
        <translation>可容缺受理</translation>
    </message>
    <message>
        <source>Select an item to see its knowledge base and materials</source>
        <translation>选择一个事项，查看其知识库与申请材料</translation>
    </message>
    <message>
        <source>已停用 — retired in catalog version %1; kept for earlier cases, not for new intake</source>
        <translation>已停用（目录版本 %1 起）：仅供查阅已受理的办件，不能用于新受理</translation>
    </message>
    <message>
        <source>Item code</source>
        <translation>事项编码</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Lists</source>
        <translation>所属清单</translation>
    </message>
    <message>
        <source>Item type</source>
        <translation>事项类型</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>办件类型</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Legal time limit</source>
        <translation>法定时限</translation>
    </message>
    <message>
        <source>Promised time limit</source>
        <translation>承诺时限</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>受理条件</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>设定依据</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>送达方式</translation>
    </message>
    <message>
        <source>Also known as</source>
        <translation>俗称</translation>
    </message>
    <message>
        <source>Catalog version</source>
        <translation>目录版本</translation>
    </message>
    <message>
        <source>已停用 — this theme bundle is retired</source>
        <translation>已停用：该“一件事”主题已撤销</translation>
    </message>
    <message>
        <source>for: %1</source>
        <translation>用于：%1</translation>
    </message>
</context>
<context>
    <name>ItemStep</name>
    <message>
        <source>Item or theme bundle: name, pinyin initials (ncdb), colloquial name or code</source>
        <translation>办理事项或“一件事”：名称、拼音首字母（如 ncdb）、俗称或编码</translation>
    </message>
    <message>
        <source>Returning after a one-time notice? Type the notice number</source>
        <translation>补齐材料后再来？请输入一次性告知书编号</translation>
    </message>
    <message>
        <source>Continue from the notice</source>
        <translation>按告知书续办</translation>
    </message>
    <message>
        <source>What does the applicant want to do?</source>
        <translation>申请人要办理什么事项？</translation>
    </message>
    <message>
        <source>One-stop bundle</source>
        <translation>一件事</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Not at this window</source>
        <translation>本窗口不受理</translation>
    </message>
    <message>
        <source>kind to be confirmed</source>
        <translation>类型待确认</translation>
    </message>
    <message>
        <source>time limit to be confirmed</source>
        <translation>时限待确认</translation>
    </message>
    <message>
        <source>{0} found</source>
        <translation>找到 {0} 项</translation>
    </message>
    <message>
        <source>Type to search the catalog; ↑ ↓ choose, Enter takes it.</source>
        <translation>输入即可搜索事项目录；↑ ↓ 选择，回车确定。</translation>
    </message>
    <message>
        <source>This item has been retired from the catalog and can no longer be accepted. Please choose the item that replaces it.</source>
        <translation>该事项已从事项目录中停用，不能再受理。请选择替代它的事项。</translation>
    </message>
</context>
<context>
    <name>LateTab</name>
    <message>
        <source> (clock stopped)</source>
        <translation>（暂停计时）</translation>
    </message>
    <message>
        <source>{0} min over</source>
        <translation>超时 {0} 分钟</translation>
    </message>
    <message>
        <source>{0} h over</source>
        <translation>超时 {0} 小时</translation>
    </message>
    <message>
        <source>{0} min left</source>
        <translation>还剩 {0} 分钟</translation>
    </message>
    <message>
        <source>due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>{0} working day(s) left</source>
        <translation>还剩 {0} 个工作日</translation>
    </message>
    <message>
        <source>{0} day(s) left</source>
        <translation>还剩 {0} 天</translation>
    </message>
    <message>
        <source>past due</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>{0} working day(s) over</source>
        <translation>超期 {0} 个工作日</translation>
    </message>
    <message>
        <source>{0} day(s) over</source>
        <translation>超期 {0} 天</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>(no number)</source>
        <translation>（无编号）</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Held by</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>the department</source>
        <translation>部门（未签收）</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>By how much</source>
        <translation>超出/剩余</translation>
    </message>
    <message>
        <source>Late only</source>
        <translation>只看已超期</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部环节</translation>
    </message>
    <message>
        <source>Issue an order…</source>
        <translation>发督办单…</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>The list could not be read: {0}</source>
        <translation>无法读取督办清单：{0}</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>All windows</source>
        <translation>全部窗口</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>{0}: {1} late, {2} due soon</source>
        <translation>{0}：已超期 {1} 件，将到期 {2} 件</translation>
    </message>
    <message>
        <source>Reading the whole list…</source>
        <translation>正在读取完整列表…</translation>
    </message>
    <message>
        <source>Nothing is late or due soon.</source>
        <translation>目前没有超期或将到期的办件。</translation>
    </message>
    <message>
        <source>More than {0} cases wait at some stages: the list shows the oldest {0} of each.</source>
        <translation>部分环节待办超过 {0} 件：清单只列出每个环节最早的 {0} 件。</translation>
    </message>
    <message>
        <source>Select a case in the list first.</source>
        <translation>请先在列表中选择一件办件。</translation>
    </message>
    <message>
        <source>{0}, {1} ({2}): please explain and act.</source>
        <translation>{0}，{1}（{2}）：请说明情况并尽快办理。</translation>
    </message>
    <message>
        <source>Supervision order issued on case {0}, to be answered by {1}; the answer will show on the 督办单 tab.</source>
        <translation>已对办件 {0} 发出督办单，答复期限 {1}；答复后可在“督办单”页查看。</translation>
    </message>
</context>
<context>
    <name>LockCover</name>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>The screen is locked</source>
        <translation>屏幕已锁定</translation>
    </message>
    <message>
        <source>Signed in: {0} ({1})</source>
        <translation>当前登录：{0}（{1}）</translation>
    </message>
    <message>
        <source>Enter this clerk&apos;s password to go on: everything open stays as it was. Another clerk signs out first.</source>
        <translation>请输入该账户的密码继续：打开的内容都保持原样。其他人员请先注销。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Sign out (another clerk)</source>
        <translation>注销（换人登录）</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
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
        <source>No window today (approval, administration, supervision)</source>
        <translation>不坐窗口（审批、管理、督查）</translation>
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
        <source>Today&apos;s window</source>
        <translation>今日窗口</translation>
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
        <source>S&amp;ystem</source>
        <translation>系统(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Sync status…</source>
        <translation>同步状态(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Enrol with the county hub…</source>
        <translation>注册到县级平台(&amp;E)…</translation>
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
        <source>Sync is starting…</source>
        <translation>同步正在启动…</translation>
    </message>
    <message>
        <source>Clerk Desk {0}
Offline-first intake for township comprehensive service windows.</source>
        <translation>Clerk Desk {0}
乡镇便民服务中心综合窗口受理客户端（断网可用）。</translation>
    </message>
    <message>
        <source>Holiday calendar: {0}</source>
        <translation>节假日日历：{0}</translation>
    </message>
</context>
<context>
    <name>MonthReader</name>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
</context>
<context>
    <name>NewAssistDialog</name>
    <message>
        <source>帮办代办: new request (委托)</source>
        <translation>帮办代办：新建（委托）</translation>
    </message>
    <message>
        <source>only if given</source>
        <translation>本人提供时填写</translation>
    </message>
    <message>
        <source>e.g. 城乡居民医保缴费</source>
        <translation>如：城乡居民医保缴费</translation>
    </message>
    <message>
        <source>Person helped</source>
        <translation>被帮办人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>帮办事项</translation>
    </message>
    <message>
        <source>Helped by</source>
        <translation>帮办人</translation>
    </message>
    <message>
        <source>Online platform</source>
        <translation>网上申请平台</translation>
    </message>
    <message>
        <source>Application number</source>
        <translation>网上申请号</translation>
    </message>
    <message>
        <source>Date of 委托</source>
        <translation>委托日期</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>OrderBanner</name>
    <message>
        <source>Supervision order from {0}, answer by {1}: {2}</source>
        <translation>{0} 发出督办单，请于 {1} 前答复：{2}</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>答复…</translation>
    </message>
</context>
<context>
    <name>OrdersTab</name>
    <message>
        <source>Answered</source>
        <translation>已答复</translation>
    </message>
    <message>
        <source>Not answered, past its date</source>
        <translation>逾期未答复</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>未答复</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>发出时间</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>(no number)</source>
        <translation>（无编号）</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>督办事由</translation>
    </message>
    <message>
        <source>Answer by</source>
        <translation>答复期限</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>答复人</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>The orders could not be read: {0}</source>
        <translation>无法读取督办单：{0}</translation>
    </message>
    <message>
        <source>{0} not answered ({1} past their date), {2} answered</source>
        <translation>未答复 {0} 件（其中逾期 {1} 件），已答复 {2} 件</translation>
    </message>
    <message>
        <source>Issued by {0} at {1}: {2}</source>
        <translation>督办事由（{0}，{1} 发出）：{2}</translation>
    </message>
    <message>
        <source>Not answered yet; to be answered by {0}.</source>
        <translation>尚未答复，答复期限 {0}。</translation>
    </message>
    <message>
        <source>Answered by {0} at {1}: {2}</source>
        <translation>答复（{0}，{1}）：{2}</translation>
    </message>
</context>
<context>
    <name>OutcomeStep</name>
    <message>
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Accept, material owed</source>
        <translation>容缺受理</translation>
    </message>
    <message>
        <source>Finish on the spot</source>
        <translation>即办件办结</translation>
    </message>
    <message>
        <source>One-time notice</source>
        <translation>一次性告知</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Postal address for the result</source>
        <translation>办理结果的邮寄地址</translation>
    </message>
    <message>
        <source>Urgent: hand over to the back office within 5 minutes</source>
        <translation>紧急：5 分钟内流转后台</translation>
    </message>
    <message>
        <source>Why this case&apos;s urgency differs from the catalog&apos;s</source>
        <translation>与事项目录的紧急程度不同的理由</translation>
    </message>
    <message>
        <source>e.g. registration done, card issued</source>
        <translation>如：已完成登记、已发证</translation>
    </message>
    <message>
        <source>Why the application cannot be accepted</source>
        <translation>不予受理的理由</translation>
    </message>
    <message>
        <source>Result delivery</source>
        <translation>结果送达方式</translation>
    </message>
    <message>
        <source>Postal address</source>
        <translation>邮寄地址</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Reason for the urgency</source>
        <translation>紧急程度理由</translation>
    </message>
    <message>
        <source>Urgency of each case</source>
        <translation>各办件紧急程度</translation>
    </message>
    <message>
        <source>Time limit confirmed by the department</source>
        <translation>部门确认的承诺时限</translation>
    </message>
    <message>
        <source>Owed materials</source>
        <translation>容缺材料</translation>
    </message>
    <message>
        <source>Owed by</source>
        <translation>承诺补齐日期</translation>
    </message>
    <message>
        <source>Result given</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>Reason for refusal</source>
        <translation>不予受理理由</translation>
    </message>
    <message>
        <source>working days</source>
        <translation>工作日数</translation>
    </message>
    <message>
        <source>{0}: urgent</source>
        <translation>{0}：紧急（5 分钟内流转后台）</translation>
    </message>
    <message>
        <source>Required materials missing or defective: %1. Give a one-time notice listing them, or refuse.</source>
        <translation>必需材料缺少或有问题：%1。请一次性告知需补齐的材料，或不予受理。</translation>
    </message>
    <message>
        <source>Only materials that may be owed are missing (%1): accept with the applicant&apos;s pledge and the date they are owed.</source>
        <translation>仅缺少可容缺材料（%1）：可容缺受理，由申请人承诺补齐日期。</translation>
    </message>
    <message>
        <source>Everything is in order and the item is handled on the spot: finish it now.</source>
        <translation>材料齐全，该事项为即办件：可当场办结。</translation>
    </message>
    <message>
        <source>Materials complete: accept, print the receipt, then hand the case over.</source>
        <translation>材料齐全：受理、打印受理回执，然后流转后台。</translation>
    </message>
    <message>
        <source>Enter the working days the department confirmed (0 to 365)</source>
        <translation>请填写承办部门确认的工作日数（0 到 365）</translation>
    </message>
    <message>
        <source>Enter the postal address</source>
        <translation>请填写邮寄地址</translation>
    </message>
    <message>
        <source>Enter why this case&apos;s urgency differs from the catalog&apos;s</source>
        <translation>请填写与事项目录紧急程度不同的理由</translation>
    </message>
    <message>
        <source>Enter why the urgency of {0} differs from the catalog&apos;s</source>
        <translation>请填写“{0}”与事项目录紧急程度不同的理由</translation>
    </message>
    <message>
        <source>Enter the result given to the applicant</source>
        <translation>请填写当场办结的结果</translation>
    </message>
    <message>
        <source>Enter the reason for the refusal</source>
        <translation>请填写不予受理的理由</translation>
    </message>
</context>
<context>
    <name>PaperPrintControls</name>
    <message>
        <source>A4</source>
        <translation>A4 纸</translation>
    </message>
    <message>
        <source>80 mm roll</source>
        <translation>80 毫米小票</translation>
    </message>
</context>
<context>
    <name>PauseDialog</name>
    <message>
        <source>Special procedure (clock stops)</source>
        <translation>特别程序（暂停计时）</translation>
    </message>
    <message>
        <source>Stop the clock</source>
        <translation>暂停计时</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>What is done, by whom, expected until when</source>
        <translation>进行什么程序、由谁进行、预计何时结束</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>程序种类</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>The working days the procedure touches are not counted: the due date moves later when the clock is resumed.</source>
        <translation>特别程序所占的工作日不计入办理时限：恢复计时后办结时限相应顺延。</translation>
    </message>
</context>
<context>
    <name>PledgesPage</name>
    <message>
        <source>容缺 follow-up: materials still owed</source>
        <translation>容缺跟进：尚未补齐的材料</translation>
    </message>
    <message>
        <source>All still owed</source>
        <translation>全部未补齐</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Owed materials</source>
        <translation>所缺材料</translation>
    </message>
    <message>
        <source>Owed by</source>
        <translation>补齐期限</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Material arrived…</source>
        <translation>材料已补齐…</translation>
    </message>
    <message>
        <source>Print reminder slip</source>
        <translation>打印补齐提醒</translation>
    </message>
    <message numerus="yes">
        <source>Overdue by %n day(s)</source>
        <translation>
            <numerusform>已逾期 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Not yet due</source>
        <translation>未到期</translation>
    </message>
    <message numerus="yes">
        <source>%n pledge(s)</source>
        <translation>
            <numerusform>共 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Recorded: the material for {0} arrived</source>
        <translation>已记录：办件 {0} 的容缺材料已补齐</translation>
    </message>
    <message>
        <source>Printed: {0}</source>
        <translation>已打印：{0}</translation>
    </message>
</context>
<context>
    <name>QLabel</name>
    <message>
        <source>This page is not available in this installation.</source>
        <translation>本安装中此页面不可用。</translation>
    </message>
</context>
<context>
    <name>QuitGuard</name>
    <message>
        <source>{0} case records have not been uploaded to the county hub yet. After quitting, they are uploaded the next time this program opens. Quit now?</source>
        <translation>还有 {0} 条办件记录尚未上传到县级平台。退出后，下次打开本程序时会继续上传。确定退出吗？</translation>
    </message>
    <message>
        <source>Sync, then quit</source>
        <translation>立即同步后退出</translation>
    </message>
    <message>
        <source>Quit anyway</source>
        <translation>仍然退出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Uploading to the county hub (at most {0} seconds)…</source>
        <translation>正在上传到县级平台（最多等待 {0} 秒）…</translation>
    </message>
    <message>
        <source>The upload could not be finished ({0}). The records are kept on this PC and are uploaded the next time this program opens.</source>
        <translation>上传没能完成（{0}）。记录都保存在本机，下次打开本程序时自动上传。</translation>
    </message>
    <message>
        <source>{0} records could not be uploaded ({1}). They are kept on this PC and are uploaded the next time this program opens.</source>
        <translation>{0} 条记录未能上传到县级平台（{1}）。它们保存在本机，下次打开本程序时自动上传。</translation>
    </message>
</context>
<context>
    <name>Rating</name>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
</context>
<context>
    <name>RatingDialog</name>
    <message>
        <source>Applicant&apos;s rating</source>
        <translation>办事群众评价</translation>
    </message>
    <message>
        <source>How satisfied is the applicant? (Enter: satisfied)</source>
        <translation>请办事群众评价本次服务（回车即“满意”）</translation>
    </message>
    <message>
        <source>Comment (optional, type it before choosing)</source>
        <translation>意见（可不填，请在选择评价前填写）</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不评价</translation>
    </message>
</context>
<context>
    <name>ReceiveDialog</name>
    <message>
        <source>Sign for the case</source>
        <translation>签收办件</translation>
    </message>
    <message>
        <source>Sign for</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Paper materials received</source>
        <translation>已收到纸质材料</translation>
    </message>
    <message>
        <source>Required when the paper did not come</source>
        <translation>未收到纸质材料时必填</translation>
    </message>
    <message>
        <source>Checked in person, material by material:</source>
        <translation>当面核实（逐项）：</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>What is wrong</source>
        <translation>问题说明</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Choose Verified or Problem for: {0}</source>
        <translation>请为以下材料选择“已核实”或“有问题”：{0}</translation>
    </message>
</context>
<context>
    <name>ResultsNotice</name>
    <message>
        <source>Open the call list</source>
        <translation>打开通知名单</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>the applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Result back at the window: {0} ({1}, {2}). Please notify the applicant.</source>
        <translation>审批结果已返回窗口：办件 {0}（{1}，{2}），请通知申请人领取。</translation>
    </message>
    <message>
        <source>{0} results back at the window, the first {1} ({2}, {3}). Please notify the applicants.</source>
        <translation>{0} 件审批结果已返回窗口，第一件为 {1}（{2}，{3}），请通知申请人领取。</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>Results back at the window: notify the applicants</source>
        <translation>结果已返回窗口：通知申请人领取</translation>
    </message>
    <message>
        <source>Not yet reached</source>
        <translation>尚未通知到</translation>
    </message>
    <message>
        <source>All waiting for hand-over</source>
        <translation>全部待领取</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Back since</source>
        <translation>结果返回时间</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>已等待</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>通知情况</translation>
    </message>
    <message>
        <source>Note on this call (optional)</source>
        <translation>本次通知备注（选填）</translation>
    </message>
    <message>
        <source>Reached (Ctrl+1)</source>
        <translation>已通知 (Ctrl+1)</translation>
    </message>
    <message>
        <source>No answer (Ctrl+2)</source>
        <translation>未接通 (Ctrl+2)</translation>
    </message>
    <message>
        <source>{0} at {1}</source>
        <translation>{1} {0}</translation>
    </message>
    <message>
        <source> (no answer ×{0})</source>
        <translation>（未接通 {0} 次）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message numerus="yes">
        <source>%n to notify</source>
        <translation>
            <numerusform>待通知 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
</context>
<context>
    <name>ResumeDialog</name>
    <message>
        <source>Resume the clock</source>
        <translation>恢复计时</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复计时</translation>
    </message>
    <message>
        <source>e.g. the appraisal report has arrived</source>
        <translation>例如：鉴定结论已收到</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>Return the result to the window</source>
        <translation>结果返回窗口</translation>
    </message>
    <message>
        <source>Return to the window</source>
        <translation>送至窗口</translation>
    </message>
    <message>
        <source>e.g. the certificate and the decision letter, one copy each</source>
        <translation>例如：证照及决定书各一份</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>Clock stopped (special procedure)</source>
        <translation>已暂停计时（特别程序）</translation>
    </message>
    <message>
        <source>Clock resumed</source>
        <translation>已恢复计时</translation>
    </message>
    <message>
        <source>Sent back to the window for supplement</source>
        <translation>已退回窗口补正</translation>
    </message>
    <message>
        <source>Decision recorded</source>
        <translation>已作出决定</translation>
    </message>
    <message>
        <source>Result returned to the window</source>
        <translation>结果已返回窗口</translation>
    </message>
    <message>
        <source>Withdrawal accepted: the case is withdrawn</source>
        <translation>已同意撤回，该办件已撤回</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>代办人</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>申请渠道</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>送达方式</translation>
    </message>
    <message>
        <source>Accepted at</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>流转时间</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>办结时限</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>后台办理</translation>
    </message>
    <message>
        <source>Materials as reviewed at the window</source>
        <translation>窗口初审的材料</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>办理经过</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Sign for</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Special procedure…</source>
        <translation>特别程序…</translation>
    </message>
    <message>
        <source>Resume clock…</source>
        <translation>恢复计时…</translation>
    </message>
    <message>
        <source>Send back for supplement…</source>
        <translation>退回补正…</translation>
    </message>
    <message>
        <source>Decide…</source>
        <translation>审批决定…</translation>
    </message>
    <message>
        <source>Return result to window…</source>
        <translation>结果返回窗口…</translation>
    </message>
    <message>
        <source>Print decision letter…</source>
        <translation>打印决定书…</translation>
    </message>
    <message>
        <source>Accept withdrawal…</source>
        <translation>同意撤回…</translation>
    </message>
    <message>
        <source>(no number)</source>
        <translation>（无编号）</translation>
    </message>
    <message>
        <source>({0} working days promised)</source>
        <translation>（承诺 {0} 个工作日）</translation>
    </message>
    <message>
        <source>The window asked to withdraw this case on {0}: {1}</source>
        <translation>窗口于 {0} 申请撤回该办件：{1}</translation>
    </message>
    <message>
        <source>The window asked to withdraw this case on {0}: {1}. To accept, cancel here (what you typed is kept) and press Ctrl+6.</source>
        <translation>窗口于 {0} 申请撤回该办件：{1}。如同意撤回，请先点“取消”（已填写的内容会保留），再按 Ctrl+6。</translation>
    </message>
    <message>
        <source>{0} has already acted on this case ({1}); it is now “{2}”, so “{3}” cannot be recorded. Press Cancel to go back (what you typed is kept).</source>
        <translation>{0}已办理该办件（{1}），现为“{2}”，不能再“{3}”。请点“取消”返回（已填写的内容会保留）。</translation>
    </message>
    <message>
        <source>{0}; {1}</source>
        <translation>{0}；{1}</translation>
    </message>
    <message>
        <source>Handed over again after supplement, not yet signed for again; {0}</source>
        <translation>补正后重新流转，尚未重新签收；{0}</translation>
    </message>
    <message>
        <source>Special procedure since {0}: {1} ({2})</source>
        <translation>特别程序（自 {0} 起）：{1}（{2}）</translation>
    </message>
    <message>
        <source>Not yet signed for</source>
        <translation>尚未签收</translation>
    </message>
    <message>
        <source>No withdrawal request from the window waits for this case</source>
        <translation>窗口没有待处理的撤回申请，无需同意撤回</translation>
    </message>
    <message>
        <source>“{0}” is not possible yet: sign for the paper first (Ctrl+1)</source>
        <translation>现在还不能“{0}”：请先签收纸质材料（Ctrl+1）</translation>
    </message>
    <message>
        <source>“{0}” is not possible now: the case is “{1}”</source>
        <translation>现在不能“{0}”：该办件状态为“{1}”</translation>
    </message>
    <message>
        <source>Printed: {0}</source>
        <translation>已打印：{0}</translation>
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
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>不锁屏</translation>
    </message>
    <message>
        <source>Minutes without use before the screen locks (0: never)</source>
        <translation>无键盘鼠标操作多少分钟后锁定屏幕（0 表示不锁屏）</translation>
    </message>
    <message>
        <source>Lock the screen after</source>
        <translation>无操作自动锁屏</translation>
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
    <name>StartupController</name>
    <message>
        <source>{0} is not open today. Please choose again.</source>
        <translation>{0}今天不开放，请重新选择窗口。</translation>
    </message>
    <message>
        <source>Please choose the window you sit at today.</source>
        <translation>请选择您今天所在的窗口。</translation>
    </message>
    <message>
        <source>No window is open today. Please ask the administrator to set up the windows.</source>
        <translation>今天没有开放的窗口，请联系系统管理员设置窗口。</translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <source>Late work</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Supervision orders</source>
        <translation>督办单</translation>
    </message>
    <message>
        <source>Violations</source>
        <translation>违规记录</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>统计</translation>
    </message>
</context>
<context>
    <name>SupplementDialog</name>
    <message>
        <source>Send back for supplement</source>
        <translation>退回补正</translation>
    </message>
    <message>
        <source>Send back to the window</source>
        <translation>退回窗口</translation>
    </message>
    <message>
        <source>Other materials, separated by 、</source>
        <translation>其他材料，用“、”分隔</translation>
    </message>
    <message>
        <source>What is wrong and what the applicant must bring</source>
        <translation>存在什么问题、申请人需补交什么</translation>
    </message>
    <message>
        <source>Materials</source>
        <translation>需补正的材料</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <source>Sync with the county hub</source>
        <translation>与县级平台同步</translation>
    </message>
    <message>
        <source>Returned by the county hub, and held back</source>
        <translation>被退回与暂缓上传的记录</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理办法</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Why it waits</source>
        <translation>等待原因</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>打开办件</translation>
    </message>
    <message>
        <source>Set aside and redo…</source>
        <translation>搁置并重新办理…</translation>
    </message>
    <message>
        <source>Enrol with the county hub…</source>
        <translation>注册到县级平台…</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Checking the link to the county hub…</source>
        <translation>正在检测与县级平台的连接…</translation>
    </message>
    <message>
        <source>This PC (or this Windows account) is not enrolled with the county hub. Cases are kept on this PC and are uploaded once it is enrolled.</source>
        <translation>本机（或当前 Windows 账户）尚未注册到县级平台。办件保存在本机，注册后会自动上传。</translation>
    </message>
    <message>
        <source>Connected to the county hub.</source>
        <translation>已连接县级平台。</translation>
    </message>
    <message>
        <source>Not connected to the county hub: everything keeps working, records are uploaded when the link is back.</source>
        <translation>未连接县级平台：受理等工作不受影响，网络恢复后自动上传。</translation>
    </message>
    <message>
        <source>Cases sent by other PCs arrive here at once.</source>
        <translation>其他电脑上传的办件会即时到达本机。</translation>
    </message>
    <message>
        <source>The network between this PC and the county hub cuts connections kept open, so this PC asks for other PCs&apos; cases every few seconds instead of hearing of them at once.</source>
        <translation>本机与县级平台之间的网络会切断长时间保持的连接，因此本机改为每隔几秒查询一次其他电脑的办件，无法即时收到。</translation>
    </message>
    <message>
        <source>Last successful sync: {0}.</source>
        <translation>上次成功同步：{0}。</translation>
    </message>
    <message>
        <source>Problem: {0}.</source>
        <translation>问题：{0}。</translation>
    </message>
    <message>
        <source>Last problem: {0}.</source>
        <translation>最近的问题：{0}。</translation>
    </message>
    <message>
        <source>This PC&apos;s clock is off by {0} minutes: ask IT to set it right.</source>
        <translation>本机时钟偏差 {0} 分钟，请信息技术人员校准。</translation>
    </message>
    <message>
        <source>Returned by the county hub, and held back ({0})</source>
        <translation>被退回与暂缓上传的记录（{0}）</translation>
    </message>
    <message>
        <source> (the first {0} shown)</source>
        <translation>（仅显示前 {0} 条）</translation>
    </message>
    <message>
        <source>Waiting to upload ({0})</source>
        <translation>等待上传（{0}）</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>被退回</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>暂缓上传</translation>
    </message>
    <message>
        <source>Being sent</source>
        <translation>正在上传</translation>
    </message>
    <message>
        <source>This PC is not enrolled</source>
        <translation>本机尚未注册</translation>
    </message>
    <message>
        <source>Waiting for the next sync</source>
        <translation>等待下次同步</translation>
    </message>
    <message>
        <source>{0}: not synced, this PC is not enrolled with the county hub.</source>
        <translation>{0}：未同步，本机尚未注册到县级平台。</translation>
    </message>
    <message>
        <source>{0}: synced; {1} records still wait (they go in the next rounds).</source>
        <translation>{0}：已同步；还有 {1} 条记录等待上传（稍后自动继续）。</translation>
    </message>
    <message>
        <source>{0}: synced, nothing waits to be uploaded.</source>
        <translation>{0}：已同步，没有等待上传的记录。</translation>
    </message>
    <message>
        <source>{0}: could not sync ({1}). Everything is kept on this PC and uploaded by itself when the link is back.</source>
        <translation>{0}：未能同步（{1}）。所有记录都保存在本机，连通后自动上传。</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>The records the county hub returned for this case will be kept aside (not deleted, not sent) and the case shown as the county hub has it. Then redo what is still needed. Continue?</source>
        <translation>该办件被县级平台退回的记录将被搁置保留（不会被删除，也不再上传），办件显示为县级平台上的最新状态。之后请按需重新办理。是否继续？</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Checking…</source>
        <translation>检测中…</translation>
    </message>
    <message>
        <source>Click for the sync details</source>
        <translation>点击查看同步详情</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>未注册</translation>
    </message>
    <message>
        <source>Not secure</source>
        <translation>连接不安全</translation>
    </message>
    <message>
        <source>Sync error</source>
        <translation>同步出错</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>To upload {0}</source>
        <translation>待上传 {0}</translation>
    </message>
    <message>
        <source>Last sync {0}</source>
        <translation>上次同步 {0}</translation>
    </message>
    <message>
        <source>Clock off by {0} min</source>
        <translation>时钟偏差 {0} 分钟</translation>
    </message>
    <message>
        <source>Returned {0}</source>
        <translation>被退回 {0}</translation>
    </message>
    <message>
        <source>This PC (or this Windows account) is not enrolled with the county hub: cases are kept on this PC only.</source>
        <translation>本机（或当前 Windows 账户）尚未注册到县级平台：办件仅保存在本机。</translation>
    </message>
    <message>
        <source>This PC&apos;s clock differs from the county hub by more than 2 minutes: ask IT to set the clock right.</source>
        <translation>本机时钟与县级平台相差超过 2 分钟，请信息技术人员校准时钟。</translation>
    </message>
    <message>
        <source>{0} records wait for a returned record of the same case.</source>
        <translation>{0} 条记录在等待同一办件被退回的记录处理。</translation>
    </message>
    <message>
        <source>The county hub&apos;s catalog or holiday calendar could not be taken in; it is tried again in the next sync</source>
        <translation>未能取得县级平台的事项目录或节假日安排，下次同步时自动重试</translation>
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
    <name>ViolationsTab</name>
    <message>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <source>{0} working day(s), {1} h</source>
        <translation>{0} 个工作日（{1} 小时）</translation>
    </message>
    <message>
        <source>Late transfers</source>
        <translation>超时流转</translation>
    </message>
    <message>
        <source>Late decisions</source>
        <translation>超期审批</translation>
    </message>
    <message>
        <source>Excused</source>
        <translation>已免责</translation>
    </message>
    <message>
        <source>Standing</source>
        <translation>计入</translation>
    </message>
    <message>
        <source>Minutes late (transfers)</source>
        <translation>超时分钟数（流转）</translation>
    </message>
    <message>
        <source>Working days late (decisions)</source>
        <translation>超期工作日（审批）</translation>
    </message>
    <message>
        <source>Excuse…</source>
        <translation>认定免责…</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>How late</source>
        <translation>超出</translation>
    </message>
    <message>
        <source>Excused by {0}: {1}</source>
        <translation>{0} 认定免责：{1}</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>{0} violations this month, {1} excused</source>
        <translation>本月违规 {0} 条，其中已免责 {1} 条</translation>
    </message>
    <message>
        <source>Select a violation in the list first.</source>
        <translation>请先在列表中选择一条违规记录。</translation>
    </message>
    <message>
        <source>This violation is already excused.</source>
        <translation>该违规记录已认定免责。</translation>
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
        <source>item codes, separated by commas</source>
        <translation>事项编码，用逗号分隔</translation>
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
    <message>
        <source>Items</source>
        <translation>事项</translation>
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
    <name>WithdrawDialog</name>
    <message>
        <source>Withdraw the application</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <source>The case is still at the window: it is withdrawn at once and closed. Give the paper materials back to the applicant.</source>
        <translation>该办件仍在窗口，撤回后立即办结。请将纸质材料退还申请人。</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Request withdrawal</source>
        <translation>申请撤回</translation>
    </message>
    <message>
        <source>The case is in the back office: the request goes to the back office, which withdraws the case. Until it answers the case shows “withdrawal requested”.</source>
        <translation>该办件已在后台办理：撤回申请将送至后台，由后台撤回该办件。后台处理前，办件显示“撤回申请中”。</translation>
    </message>
    <message>
        <source>Send the request</source>
        <translation>提交撤回申请</translation>
    </message>
    <message>
        <source>Their ID card was checked</source>
        <translation>已核验其身份证件</translation>
    </message>
    <message>
        <source>Why the applicant withdraws (required)</source>
        <translation>申请人撤回的理由（必填）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Asked by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>撤回理由</translation>
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
        <source>This Windows account cannot write to the data folder {0}, so Clerk Desk cannot open it. Please ask county IT to give the hall&apos;s accounts the right to modify this folder (repairing the installation grants it again).</source>
        <translation>本 Windows 账户无法写入数据文件夹 {0}，综合窗口受理无法打开。请县级信息技术人员为大厅各窗口账户授予修改该文件夹的权限（修复安装会重新授予）。</translation>
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
        <translation>综合窗口受理</translation>
    </message>
    <message>
        <source>{0} — {1}</source>
        <translation>{0} — {1}</translation>
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
        <source>Intake</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <source>Results to notify</source>
        <translation>结果通知</translation>
    </message>
    <message>
        <source>Daily filing</source>
        <translation>每日归档</translation>
    </message>
    <message>
        <source>容缺 follow-up</source>
        <translation>容缺跟进</translation>
    </message>
    <message>
        <source>Daily archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Consultations</source>
        <translation>咨询帮办</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>好差评</translation>
    </message>
    <message>
        <source>On the window</source>
        <translation>窗口在岗</translation>
    </message>
    <message>
        <source>Back-office inbox</source>
        <translation>后台收件箱</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>督查督办</translation>
    </message>
    <message>
        <source>Service catalog</source>
        <translation>事项目录</translation>
    </message>
    <message>
        <source>County figures</source>
        <translation>全县统计</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <source>Cannot reach the county hub</source>
        <translation>无法连接县级平台</translation>
    </message>
    <message>
        <source>This PC&apos;s connection credential is not valid any more: enrol again with a new code</source>
        <translation>本机与县级平台的连接凭据已失效，请用新的注册码重新注册</translation>
    </message>
    <message>
        <source>This Windows account is not enrolled with the county hub yet</source>
        <translation>当前 Windows 账户尚未注册到县级平台</translation>
    </message>
    <message>
        <source>The county hub has deactivated this PC: contact county IT</source>
        <translation>本机已被县级平台停用，请联系县级信息技术人员</translation>
    </message>
    <message>
        <source>The county hub refused records outside this PC&apos;s area: contact county IT</source>
        <translation>县级平台拒收了超出本机办理范围的记录，请联系县级信息技术人员</translation>
    </message>
    <message>
        <source>The county hub refused records this PC may not send: contact county IT</source>
        <translation>县级平台拒收了本机无权上传的记录，请联系县级信息技术人员</translation>
    </message>
    <message>
        <source>The county hub refused records of another PC: contact county IT</source>
        <translation>县级平台拒收了其他电脑的记录，请联系县级信息技术人员</translation>
    </message>
    <message>
        <source>The county hub was restored from a backup: this PC reloads its cases</source>
        <translation>县级平台已从备份恢复，本机正在重新载入办件</translation>
    </message>
    <message>
        <source>The county hub refused this PC&apos;s request; it is retried automatically. If this keeps happening, contact county IT</source>
        <translation>县级平台拒收了本机的请求，稍后自动重试；如反复出现，请联系县级信息技术人员</translation>
    </message>
    <message>
        <source>The county hub address this PC was enrolled with is not an https address. To keep the connection credential from being stolen, this PC no longer sends it there; cases are kept on this PC. Ask county IT for the https address and a new code, then enrol again (System → Enrol with the county hub)</source>
        <translation>本机登记的县级平台地址不是 https 地址。为防止连接凭据被窃取，本机不再向该地址发送凭据，办件先保存在本机。请向县级信息技术人员索取 https 地址和新的注册码，然后在“系统 → 注册到县级平台”中重新注册</translation>
    </message>
    <message>
        <source>The case database on this PC is in use by another program; sync is retried automatically</source>
        <translation>本机的办件数据库正被其他程序占用，同步稍后自动重试</translation>
    </message>
    <message>
        <source>The case database on this PC is read-only, so sync cannot record its results; it is retried automatically. Ask IT to check the file&apos;s permissions</source>
        <translation>本机的办件数据库为只读，同步结果无法记录，稍后自动重试。请联系信息技术人员检查文件权限</translation>
    </message>
    <message>
        <source>The disk is full, so sync cannot record its results; it is retried automatically. Free some disk space</source>
        <translation>磁盘空间已满，同步结果无法记录，稍后自动重试。请清理磁盘</translation>
    </message>
    <message>
        <source>Reading or writing the case database on this PC failed; sync is retried automatically. If this keeps happening, contact IT</source>
        <translation>读写本机办件数据库时出错，同步稍后自动重试；如反复出现，请联系信息技术人员</translation>
    </message>
    <message>
        <source>Sync ran into a program error (written to the log); it is retried automatically. If this keeps happening, contact IT</source>
        <translation>同步时程序出错（已写入日志），稍后自动重试；如反复出现，请联系信息技术人员</translation>
    </message>
    <message>
        <source>Sync had stopped unexpectedly and was restarted by itself</source>
        <translation>同步后台任务意外停止，已自动重新启动</translation>
    </message>
    <message>
        <source>The personal data on this PC cannot be opened with this PC&apos;s key, so nothing is uploaded; the records are kept. Contact IT</source>
        <translation>本机的个人信息无法用本机的密钥解开，因此暂不上传，记录仍保留在本机。请联系信息技术人员</translation>
    </message>
    <message>
        <source>Certificate check failed: ask IT to check the county&apos;s CA certificate on this PC</source>
        <translation>证书校验失败，请信息技术人员检查本机的县级 CA 证书</translation>
    </message>
    <message>
        <source>The county hub answered from another address (it may have moved): ask IT to set the hub&apos;s current https address on this PC</source>
        <translation>县级平台的地址已变更（旧地址转向了别处）：请信息技术人员在本机设置县级平台现在的 https 地址</translation>
    </message>
    <message>
        <source>The county hub&apos;s answer was cut short or could not be read; it is retried automatically</source>
        <translation>县级平台的回应不完整或无法识别（可能是网络中断），稍后自动重试</translation>
    </message>
    <message>
        <source>The county hub cannot take records right now; it is retried automatically</source>
        <translation>县级平台暂时无法接收，稍后自动重试</translation>
    </message>
    <message>
        <source>Upload did not succeed; it is retried automatically</source>
        <translation>上传未成功，稍后自动重试</translation>
    </message>
    <message>
        <source>This PC&apos;s clock is wrong: ask IT to set it right, then redo the step on the case</source>
        <translation>本机时钟不准：请信息技术人员校准时钟，然后在办件上重新办理</translation>
    </message>
    <message>
        <source>The record is dated later than the county hub&apos;s clock</source>
        <translation>记录的时间晚于县级平台的时钟</translation>
    </message>
    <message>
        <source>The record is dated before this PC was enrolled with the county hub</source>
        <translation>记录的时间早于本机注册到县级平台的时间</translation>
    </message>
    <message>
        <source>The record&apos;s number on this PC is out of sequence</source>
        <translation>本机记录的序号不连续</translation>
    </message>
    <message>
        <source>The record is larger than the county hub accepts</source>
        <translation>记录内容超过县级平台可接收的大小</translation>
    </message>
    <message>
        <source>The county hub does not know the window this intake names</source>
        <translation>县级平台的窗口目录中没有该受理所注明的窗口</translation>
    </message>
    <message>
        <source>Sign in again and pick this PC&apos;s window; if it is right, ask county IT to register it at the county hub</source>
        <translation>请重新登录并重新选择本机的窗口；如窗口无误，请县级信息技术人员在县级平台登记该窗口</translation>
    </message>
    <message>
        <source>The county hub has this window on another PC</source>
        <translation>县级平台登记该窗口在其他电脑上办理</translation>
    </message>
    <message>
        <source>Sign in again and pick the window this PC works, or ask county IT to register this PC for the window</source>
        <translation>请重新登录并选择本机所在的窗口，或请县级信息技术人员为该窗口登记本机</translation>
    </message>
    <message>
        <source>The window was taken out of use at the county hub</source>
        <translation>该窗口已在县级平台停用</translation>
    </message>
    <message>
        <source>The window does not take this item</source>
        <translation>该窗口不受理此事项</translation>
    </message>
    <message>
        <source>The county catalog puts the item in another department</source>
        <translation>县级事项目录中该事项属于其他部门</translation>
    </message>
    <message>
        <source>The intake&apos;s window could not be read</source>
        <translation>受理所附的窗口信息无法识别</translation>
    </message>
    <message>
        <source>Sync had stopped unexpectedly and was restarted by itself ({0} times, last at {1}).</source>
        <translation>同步后台任务曾意外停止，已自动重新启动（共 {0} 次，最近一次 {1}）。</translation>
    </message>
    <message>
        <source>Service catalog: none imported yet</source>
        <translation>事项目录：尚未导入</translation>
    </message>
    <message>
        <source>from the county hub</source>
        <translation>来自县级平台</translation>
    </message>
    <message>
        <source>demo catalog</source>
        <translation>演示目录</translation>
    </message>
    <message>
        <source>imported on this PC</source>
        <translation>本机手工导入</translation>
    </message>
    <message>
        <source>Service catalog {0} ({1}), arrived {2}</source>
        <translation>事项目录 {0}（{1}），{2} 到达本机</translation>
    </message>
    <message>
        <source>Holiday calendar: none (the library&apos;s years only)</source>
        <translation>节假日安排：无文件（仅程序内置年份）</translation>
    </message>
    <message>
        <source>Holiday calendar {0} (from the county hub), arrived {1}; years {2}</source>
        <translation>节假日安排 {0}（来自县级平台），{1} 到达本机；含 {2} 年</translation>
    </message>
    <message>
        <source>shipped with the program</source>
        <translation>随程序安装</translation>
    </message>
    <message>
        <source>placed on this PC</source>
        <translation>本机放置</translation>
    </message>
    <message>
        <source>Holiday calendar {0} ({1}); years {2}</source>
        <translation>节假日安排 {0}（{1}）；含 {2} 年</translation>
    </message>
    <message>
        <source>The back office has already handled this case: open the case, check its current state, then redo the step</source>
        <translation>该办件已在后台被处理，请打开办件查看最新状态后重新操作</translation>
    </message>
    <message>
        <source>Contact county IT with the case number</source>
        <translation>请记下办件编号并联系县级信息技术人员</translation>
    </message>
    <message>
        <source>The case was changed on another PC or by the back office</source>
        <translation>办件已在其他电脑或后台被更新</translation>
    </message>
    <message>
        <source>The case&apos;s current state does not allow this step</source>
        <translation>办件的当前状态不允许此操作</translation>
    </message>
    <message>
        <source>The case is held by the back office, not by the window</source>
        <translation>办件目前在后台办理，不在窗口</translation>
    </message>
    <message>
        <source>The case already has an open pledge</source>
        <translation>该办件已有未履行的容缺承诺</translation>
    </message>
    <message>
        <source>The case has no open pledge</source>
        <translation>该办件没有未履行的容缺承诺</translation>
    </message>
    <message>
        <source>Withdrawal was already requested</source>
        <translation>已经申请过撤回</translation>
    </message>
    <message>
        <source>The window has not asked for withdrawal</source>
        <translation>窗口尚未申请撤回</translation>
    </message>
    <message>
        <source>This step cannot be taken at the window</source>
        <translation>此操作不能由窗口发起</translation>
    </message>
    <message>
        <source>The case belongs to another centre or department</source>
        <translation>办件属于其他中心或部门</translation>
    </message>
    <message>
        <source>The record&apos;s id clashes with another record</source>
        <translation>记录编号与其他记录冲突</translation>
    </message>
    <message>
        <source>Waiting for the earlier record of this case to be handled</source>
        <translation>等待前一事件处理</translation>
    </message>
    <message>
        <source>Handle the returned record of the same case first; this one waits and is not lost</source>
        <translation>请先处理同一办件被退回的记录；本条暂缓上传，不会丢失</translation>
    </message>
    <message>
        <source>The county hub does not accept the person recorded for this step (unknown account, or not in that role at the time)</source>
        <translation>县级平台不认可此操作记录的经办人（账户不存在，或当时不具有相应角色）</translation>
    </message>
    <message>
        <source>Returned by the county hub: {0}</source>
        <translation>县级平台退回：{0}</translation>
    </message>
    <message>
        <source>Returned by the county hub</source>
        <translation>被县级平台退回</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
</TS>
