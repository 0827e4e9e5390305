"""Realistic long texts for the clipping walk: what a hall really meets at its longest.

The desk of the hostile-text walk (tests/ui/hostile/hostile_desk.py) is built again with these values
instead of markup: every field a person, the catalog or the hub fills in gets a text as long as real
ones get. Item names are the longest of the shipped catalog and of the real items gathered from public
service guides; names include a two-character surname and a transliterated minority name; addresses go
down to the room; reasons and notes are whole sentences.
"""

from __future__ import annotations

# The longest item names (resources/catalog/demo-catalog.json; the 21-character one is from a real guide).
LONGEST_ITEMS = (
    "适龄儿童少年因故要延缓、免于或中断义务教育学业批准",
    "个体工商户登记注册(行政许可事项实施规范)",
    "农村部分计划生育家庭奖励扶助申请审批",
    "残疾人证重新评定(类别/等级变更)",
)
LONGEST_MATERIALS = (
    "县级及以上医疗单位诊断证明及相关材料, 或县级残疾人教育专家委员会评估鉴定意见表等佐证材料",
    "死亡证明(医院)/火化证明(民政)/户籍注销证明(公安)/镇出具证明; 宣告死亡的司法证明",
    "监护人或代理人本人基本身份证件原件及被监护人/被代理人基本身份证件",
)
ADDRESS = "湖北省咸宁市通山县大畈镇西泉村十一组幸福大道128号附3号楼2单元502室"

VALUES = {
    "发布方": "通山县人民政府政务服务和大数据管理局（县行政审批局）",
    "部门民政": "退役军人",
    "清单名": "通山县下沉便民服务事项清单（第一批）",
    "清单说明": "根据《通山县深化综合窗口改革实施方案》编制，乡镇（区）便民服务中心综合窗口统一受理。",
    "共用材料": LONGEST_MATERIALS[0],
    "事项一": LONGEST_ITEMS[1],
    "事项二": LONGEST_ITEMS[2],
    "事项三": LONGEST_ITEMS[0],
    "事项即办": LONGEST_ITEMS[3],
    "事项名": LONGEST_ITEMS[0],  # the county hub's name of an item (全县统计)
    "材料一": LONGEST_MATERIALS[1],
    "材料二": LONGEST_MATERIALS[2],
    "材料三": LONGEST_MATERIALS[2] + "（复印件需本人签字确认）",
    "材料即办": "基本身份证件(二代居民身份证、户口簿、护照、港澳台通行证等之一)",
    "材料备注": "原件核验后退回，复印件留存；复印件须清晰完整，并由申请人签字确认与原件一致。",
    "一件事": "困难群众救助一件事（最低生活保障、特困人员供养、临时救助联办）",
    "一件事说明": "一次告知、一表申请、一窗受理，民政、残联、医保等部门联动办理，办结结果统一送达。",
    "中心名称": "通山县洪港镇便民服务中心（洪港镇党群服务中心）",
    "窗口名称": "综合窗口（三）社保医保民政残联",
    "窗口人员": "欧阳晓燕",
    "审批人员": "司马建国",
    "代理人": "阿卜杜热合曼·买买提依明",
    "代理关系": "申请人之子（经村委会证明的委托代理人）",
    "邮寄地址": ADDRESS,
    "受理备注": "申请人行动不便，由其子代为递交材料，已电话核实本人意愿。",
    "签收说明": "纸质材料未随件送达，窗口已电话告知将于次日上午随交接清单一并送来。",
    "中止理由": "需委托县级残疾人教育专家委员会进行评估鉴定，鉴定期间不计入办理时限。",
    "恢复说明": "专家委员会评估鉴定意见表已送达，恢复计时继续办理。",
    "审批结果": "准予延缓入学一年，请于下一学年开学前到户籍所在地学校报到登记。",
    "文号": "通教审〔2026〕第0123号",
    "决定说明": "经审查，申请材料齐全，符合《中华人民共和国义务教育法》第十一条规定。",
    "返回说明": "审批决定书一式两份随件返回，一份交申请人，一份归档。",
    "承诺文字": "本人承诺于补齐期限前补交所缺材料，逾期未补齐的，同意按不予受理处理。",
    "撤回理由": "申请人家庭情况发生变化，经家庭商议决定暂不申请，要求撤回本次申请。",
    "补正材料": "县级以上教育主管部门指定的医疗机构出具的诊断证明（需加盖医院公章）",
    "补正说明": "所附诊断证明未加盖医疗机构公章，请补正后重新流转。",
    "缺陷说明": "户口簿复印件缺少本人页，且与身份证地址不一致，请补充户籍证明",
    "不予受理理由": "申请人户籍不在本县，该事项应向户籍所在地便民服务中心提出申请。",
    "办结结果": "已当场办结，居民身份证临时证件已交申请人本人签收。",
    "出件结果": "准予办理，残疾人证已制作完成。",
    "领取人": "诸葛春花",
    "出件备注": "领取人为申请人之母，已核验其身份证件并留存复印件。",
    "中心退回": "该办件的事项编码在县级平台事项库中已停用，请核对事项后重新受理。",
    "链路错误": "无法连接县级平台（电子政务外网连接超时），将在网络恢复后自动重试。",
    "申请人录入": "欧阳诸葛明月",
    "地址录入": ADDRESS,
    "代理人录入": "阿卜杜热合曼·买买提依明",
    "关系录入": "申请人之子（经村委会证明的委托代理人）",
}
SURNAMES = "甲乙丙丁戊己庚辛壬"
PERSONS = ("欧阳诸葛明月", "阿卜杜热合曼·买买提依明", "司马相如", "慕容雪晴", "皇甫建华", "上官婉儿",
           "东方明珠", "令狐冲霄", "尉迟恭敬")


class LongText:
    """Each field's realistic long text by the hostile desk's tag (e.g. "申请人甲": the first applicant)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = dict(VALUES)
        for i, tag in enumerate(SURNAMES):
            self.values.setdefault(f"申请人{tag}", PERSONS[i])
            self.values.setdefault(f"地址{tag}", ADDRESS)
        for n in ("一", "二", "三", "即办"):
            self.values.setdefault(f"事项说明{n}", "本事项可由乡镇人民政府或县级教育行政部门批准，材料齐全的当场受理，"
                                   "承诺时限内办结；申请人可选择窗口领取或邮寄送达。")
            self.values.setdefault(f"收费{n}", "不收费")
            self.values.setdefault(f"条件{n}", "具有本县户籍，因身体状况需要延缓入学或者休学的适龄儿童少年，"
                                   "由其父母或者其他法定监护人提出申请。")
            self.values.setdefault(f"依据{n}", "《中华人民共和国义务教育法》第十一条；《湖北省实施〈中华人民共和国"
                                   "义务教育法〉办法》第十三条")
            self.values.setdefault(f"来源网址{n}", "http://www.tongshan.gov.cn/zwgk/fdzdgknr/zdlyxxgk/"
                                   "zwfw/202403/t20240315_3321548.shtml")
            self.values.setdefault(f"来源地区{n}", "湖北省咸宁市通山县")

    def __call__(self, tag: str) -> str:
        return self.values.setdefault(tag, f"{tag}：这是一段按实际情况写得较长的说明文字，用来检查界面能否完整显示。")

    @staticmethod
    def mark(tag: str) -> str:
        return tag
