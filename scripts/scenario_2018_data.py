"""Data tables for the 2018 scenario inventory (see build_scenario_2018.py).

Every entity here is real. Administrative divisions and their codes are those of the Ministry of Civil
Affairs' county-level-and-above code table as of January 2018 (before 莱芜 was merged into 济南 and before
济阳, 光明 etc. changed status), so there are 334 prefecture-level divisions: 294 prefecture-level cities,
7 prefectures (地区), 30 autonomous prefectures (自治州) and 3 leagues (盟).

Pinyin is written syllable by syllable with hyphens (the builder joins it for host names and takes the
initials for county hosts). For counties the pinyin covers the name without its 区/县/市/旗 suffix and
without any ethnic autonomy part (石林彝族自治县 -> shi-lin).
"""

from __future__ import annotations

# The State Council's departments as constituted after the March 2018 restructuring (国务院机构设置):
# 26 component departments, the special directly-affiliated body (国资委), 10 directly-affiliated agencies,
# 2 administrative offices, 9 directly-affiliated institutions and 16 national bureaus administered by a
# ministry or commission. (name, host label)
MINISTRIES: tuple[tuple[str, str], ...] = (
    # 国务院组成部门
    ("外交部", "fmprc"),
    ("国防部", "mod"),
    ("国家发展和改革委员会", "ndrc"),
    ("教育部", "moe"),
    ("科学技术部", "most"),
    ("工业和信息化部", "miit"),
    ("国家民族事务委员会", "seac"),
    ("公安部", "mps"),
    ("国家安全部", "mss"),
    ("民政部", "mca"),
    ("司法部", "moj"),
    ("财政部", "mof"),
    ("人力资源和社会保障部", "mohrss"),
    ("自然资源部", "mnr"),
    ("生态环境部", "mee"),
    ("住房和城乡建设部", "mohurd"),
    ("交通运输部", "mot"),
    ("水利部", "mwr"),
    ("农业农村部", "moa"),
    ("商务部", "mofcom"),
    ("文化和旅游部", "mct"),
    ("国家卫生健康委员会", "nhc"),
    ("退役军人事务部", "mva"),
    ("应急管理部", "mem"),
    ("中国人民银行", "pbc"),
    ("审计署", "audit"),
    # 国务院直属特设机构
    ("国务院国有资产监督管理委员会", "sasac"),
    # 国务院直属机构
    ("海关总署", "customs"),
    ("国家税务总局", "chinatax"),
    ("国家市场监督管理总局", "samr"),
    ("国家广播电视总局", "nrta"),
    ("国家体育总局", "sport"),
    ("国家统计局", "stats"),
    ("国家国际发展合作署", "cidca"),
    ("国家医疗保障局", "nhsa"),
    ("国务院参事室", "counsellor"),
    ("国家机关事务管理局", "ggj"),
    # 国务院办事机构
    ("国务院港澳事务办公室", "hmo"),
    ("国务院研究室", "gwyyjs"),
    # 国务院直属事业单位
    ("新华通讯社", "xinhua"),
    ("中国科学院", "cas"),
    ("中国社会科学院", "cass"),
    ("中国工程院", "cae"),
    ("国务院发展研究中心", "drc"),
    ("中央广播电视总台", "cmg"),
    ("中国气象局", "cma"),
    ("中国银行保险监督管理委员会", "cbirc"),
    ("中国证券监督管理委员会", "csrc"),
    # 国务院部委管理的国家局
    ("国家信访局", "gjxfj"),
    ("国家粮食和物资储备局", "lswz"),
    ("国家能源局", "nea"),
    ("国家国防科技工业局", "sastind"),
    ("国家烟草专卖局", "tobacco"),
    ("国家移民管理局", "nia"),
    ("国家林业和草原局", "forestry"),
    ("国家铁路局", "nra"),
    ("中国民用航空局", "caac"),
    ("国家邮政局", "spb"),
    ("国家文物局", "ncha"),
    ("国家中医药管理局", "satcm"),
    ("国家煤矿安全监察局", "chinamine-safety"),
    ("国家外汇管理局", "safe"),
    ("国家药品监督管理局", "nmpa"),
    ("国家知识产权局", "cnipa"),
)

# code, portal name, short name, host label, region (official four-region split), ISO 3166-2:CN suffix.
# 新疆生产建设兵团 has no GB/T 2260 code; 660000 is the code commonly used for it in statistical systems.
PROVINCES = """
110000 北京市 北京 beijing east bj
120000 天津市 天津 tianjin east tj
130000 河北省 河北 hebei east he
140000 山西省 山西 shanxi central sx
150000 内蒙古自治区 内蒙古 neimenggu west nm
210000 辽宁省 辽宁 liaoning northeast ln
220000 吉林省 吉林 jilin northeast jl
230000 黑龙江省 黑龙江 heilongjiang northeast hl
310000 上海市 上海 shanghai east sh
320000 江苏省 江苏 jiangsu east js
330000 浙江省 浙江 zhejiang east zj
340000 安徽省 安徽 anhui central ah
350000 福建省 福建 fujian east fj
360000 江西省 江西 jiangxi central jx
370000 山东省 山东 shandong east sd
410000 河南省 河南 henan central ha
420000 湖北省 湖北 hubei central hb
430000 湖南省 湖南 hunan central hn
440000 广东省 广东 guangdong east gd
450000 广西壮族自治区 广西 guangxi west gx
460000 海南省 海南 hainan east hi
500000 重庆市 重庆 chongqing west cq
510000 四川省 四川 sichuan west sc
520000 贵州省 贵州 guizhou west gz
530000 云南省 云南 yunnan west yn
540000 西藏自治区 西藏 xizang west xz
610000 陕西省 陕西 shaanxi west sn
620000 甘肃省 甘肃 gansu west gs
630000 青海省 青海 qinghai west qh
640000 宁夏回族自治区 宁夏 ningxia west nx
650000 新疆维吾尔自治区 新疆 xinjiang west xj
660000 新疆生产建设兵团 新疆兵团 xjbt west bt
"""

# Pinyin initials used as the host prefix of a municipality's (or a province's) directly-administered
# county-level units: 北京西城区 -> bjxc.
MUNICIPALITY_PREFIX = {"110000": "bj", "120000": "tj", "310000": "sh", "500000": "cq", "410000": "hn"}

# All 334 prefecture-level divisions: code, official name, pinyin of the name without its 市/地区/盟 suffix
# or its ethnic autonomy part.
CITIES = """
130100 石家庄市 shi-jia-zhuang
130200 唐山市 tang-shan
130300 秦皇岛市 qin-huang-dao
130400 邯郸市 han-dan
130500 邢台市 xing-tai
130600 保定市 bao-ding
130700 张家口市 zhang-jia-kou
130800 承德市 cheng-de
130900 沧州市 cang-zhou
131000 廊坊市 lang-fang
131100 衡水市 heng-shui
140100 太原市 tai-yuan
140200 大同市 da-tong
140300 阳泉市 yang-quan
140400 长治市 chang-zhi
140500 晋城市 jin-cheng
140600 朔州市 shuo-zhou
140700 晋中市 jin-zhong
140800 运城市 yun-cheng
140900 忻州市 xin-zhou
141000 临汾市 lin-fen
141100 吕梁市 lv-liang
150100 呼和浩特市 hu-he-hao-te
150200 包头市 bao-tou
150300 乌海市 wu-hai
150400 赤峰市 chi-feng
150500 通辽市 tong-liao
150600 鄂尔多斯市 e-er-duo-si
150700 呼伦贝尔市 hu-lun-bei-er
150800 巴彦淖尔市 ba-yan-nao-er
150900 乌兰察布市 wu-lan-cha-bu
152200 兴安盟 xing-an
152500 锡林郭勒盟 xi-lin-guo-le
152900 阿拉善盟 a-la-shan
210100 沈阳市 shen-yang
210200 大连市 da-lian
210300 鞍山市 an-shan
210400 抚顺市 fu-shun
210500 本溪市 ben-xi
210600 丹东市 dan-dong
210700 锦州市 jin-zhou
210800 营口市 ying-kou
210900 阜新市 fu-xin
211000 辽阳市 liao-yang
211100 盘锦市 pan-jin
211200 铁岭市 tie-ling
211300 朝阳市 chao-yang
211400 葫芦岛市 hu-lu-dao
220100 长春市 chang-chun
220200 吉林市 ji-lin
220300 四平市 si-ping
220400 辽源市 liao-yuan
220500 通化市 tong-hua
220600 白山市 bai-shan
220700 松原市 song-yuan
220800 白城市 bai-cheng
222400 延边朝鲜族自治州 yan-bian
230100 哈尔滨市 ha-er-bin
230200 齐齐哈尔市 qi-qi-ha-er
230300 鸡西市 ji-xi
230400 鹤岗市 he-gang
230500 双鸭山市 shuang-ya-shan
230600 大庆市 da-qing
230700 伊春市 yi-chun
230800 佳木斯市 jia-mu-si
230900 七台河市 qi-tai-he
231000 牡丹江市 mu-dan-jiang
231100 黑河市 hei-he
231200 绥化市 sui-hua
232700 大兴安岭地区 da-xing-an-ling
320100 南京市 nan-jing
320200 无锡市 wu-xi
320300 徐州市 xu-zhou
320400 常州市 chang-zhou
320500 苏州市 su-zhou
320600 南通市 nan-tong
320700 连云港市 lian-yun-gang
320800 淮安市 huai-an
320900 盐城市 yan-cheng
321000 扬州市 yang-zhou
321100 镇江市 zhen-jiang
321200 泰州市 tai-zhou
321300 宿迁市 su-qian
330100 杭州市 hang-zhou
330200 宁波市 ning-bo
330300 温州市 wen-zhou
330400 嘉兴市 jia-xing
330500 湖州市 hu-zhou
330600 绍兴市 shao-xing
330700 金华市 jin-hua
330800 衢州市 qu-zhou
330900 舟山市 zhou-shan
331000 台州市 tai-zhou
331100 丽水市 li-shui
340100 合肥市 he-fei
340200 芜湖市 wu-hu
340300 蚌埠市 beng-bu
340400 淮南市 huai-nan
340500 马鞍山市 ma-an-shan
340600 淮北市 huai-bei
340700 铜陵市 tong-ling
340800 安庆市 an-qing
341000 黄山市 huang-shan
341100 滁州市 chu-zhou
341200 阜阳市 fu-yang
341300 宿州市 su-zhou
341500 六安市 lu-an
341600 亳州市 bo-zhou
341700 池州市 chi-zhou
341800 宣城市 xuan-cheng
350100 福州市 fu-zhou
350200 厦门市 xia-men
350300 莆田市 pu-tian
350400 三明市 san-ming
350500 泉州市 quan-zhou
350600 漳州市 zhang-zhou
350700 南平市 nan-ping
350800 龙岩市 long-yan
350900 宁德市 ning-de
360100 南昌市 nan-chang
360200 景德镇市 jing-de-zhen
360300 萍乡市 ping-xiang
360400 九江市 jiu-jiang
360500 新余市 xin-yu
360600 鹰潭市 ying-tan
360700 赣州市 gan-zhou
360800 吉安市 ji-an
360900 宜春市 yi-chun
361000 抚州市 fu-zhou
361100 上饶市 shang-rao
370100 济南市 ji-nan
370200 青岛市 qing-dao
370300 淄博市 zi-bo
370400 枣庄市 zao-zhuang
370500 东营市 dong-ying
370600 烟台市 yan-tai
370700 潍坊市 wei-fang
370800 济宁市 ji-ning
370900 泰安市 tai-an
371000 威海市 wei-hai
371100 日照市 ri-zhao
371200 莱芜市 lai-wu
371300 临沂市 lin-yi
371400 德州市 de-zhou
371500 聊城市 liao-cheng
371600 滨州市 bin-zhou
371700 菏泽市 he-ze
410100 郑州市 zheng-zhou
410200 开封市 kai-feng
410300 洛阳市 luo-yang
410400 平顶山市 ping-ding-shan
410500 安阳市 an-yang
410600 鹤壁市 he-bi
410700 新乡市 xin-xiang
410800 焦作市 jiao-zuo
410900 濮阳市 pu-yang
411000 许昌市 xu-chang
411100 漯河市 luo-he
411200 三门峡市 san-men-xia
411300 南阳市 nan-yang
411400 商丘市 shang-qiu
411500 信阳市 xin-yang
411600 周口市 zhou-kou
411700 驻马店市 zhu-ma-dian
420100 武汉市 wu-han
420200 黄石市 huang-shi
420300 十堰市 shi-yan
420500 宜昌市 yi-chang
420600 襄阳市 xiang-yang
420700 鄂州市 e-zhou
420800 荆门市 jing-men
420900 孝感市 xiao-gan
421000 荆州市 jing-zhou
421100 黄冈市 huang-gang
421200 咸宁市 xian-ning
421300 随州市 sui-zhou
422800 恩施土家族苗族自治州 en-shi
430100 长沙市 chang-sha
430200 株洲市 zhu-zhou
430300 湘潭市 xiang-tan
430400 衡阳市 heng-yang
430500 邵阳市 shao-yang
430600 岳阳市 yue-yang
430700 常德市 chang-de
430800 张家界市 zhang-jia-jie
430900 益阳市 yi-yang
431000 郴州市 chen-zhou
431100 永州市 yong-zhou
431200 怀化市 huai-hua
431300 娄底市 lou-di
433100 湘西土家族苗族自治州 xiang-xi
440100 广州市 guang-zhou
440200 韶关市 shao-guan
440300 深圳市 shen-zhen
440400 珠海市 zhu-hai
440500 汕头市 shan-tou
440600 佛山市 fo-shan
440700 江门市 jiang-men
440800 湛江市 zhan-jiang
440900 茂名市 mao-ming
441200 肇庆市 zhao-qing
441300 惠州市 hui-zhou
441400 梅州市 mei-zhou
441500 汕尾市 shan-wei
441600 河源市 he-yuan
441700 阳江市 yang-jiang
441800 清远市 qing-yuan
441900 东莞市 dong-guan
442000 中山市 zhong-shan
445100 潮州市 chao-zhou
445200 揭阳市 jie-yang
445300 云浮市 yun-fu
450100 南宁市 nan-ning
450200 柳州市 liu-zhou
450300 桂林市 gui-lin
450400 梧州市 wu-zhou
450500 北海市 bei-hai
450600 防城港市 fang-cheng-gang
450700 钦州市 qin-zhou
450800 贵港市 gui-gang
450900 玉林市 yu-lin
451000 百色市 bai-se
451100 贺州市 he-zhou
451200 河池市 he-chi
451300 来宾市 lai-bin
451400 崇左市 chong-zuo
460100 海口市 hai-kou
460200 三亚市 san-ya
460300 三沙市 san-sha
460400 儋州市 dan-zhou
510100 成都市 cheng-du
510300 自贡市 zi-gong
510400 攀枝花市 pan-zhi-hua
510500 泸州市 lu-zhou
510600 德阳市 de-yang
510700 绵阳市 mian-yang
510800 广元市 guang-yuan
510900 遂宁市 sui-ning
511000 内江市 nei-jiang
511100 乐山市 le-shan
511300 南充市 nan-chong
511400 眉山市 mei-shan
511500 宜宾市 yi-bin
511600 广安市 guang-an
511700 达州市 da-zhou
511800 雅安市 ya-an
511900 巴中市 ba-zhong
512000 资阳市 zi-yang
513200 阿坝藏族羌族自治州 a-ba
513300 甘孜藏族自治州 gan-zi
513400 凉山彝族自治州 liang-shan
520100 贵阳市 gui-yang
520200 六盘水市 liu-pan-shui
520300 遵义市 zun-yi
520400 安顺市 an-shun
520500 毕节市 bi-jie
520600 铜仁市 tong-ren
522300 黔西南布依族苗族自治州 qian-xi-nan
522600 黔东南苗族侗族自治州 qian-dong-nan
522700 黔南布依族苗族自治州 qian-nan
530100 昆明市 kun-ming
530300 曲靖市 qu-jing
530400 玉溪市 yu-xi
530500 保山市 bao-shan
530600 昭通市 zhao-tong
530700 丽江市 li-jiang
530800 普洱市 pu-er
530900 临沧市 lin-cang
532300 楚雄彝族自治州 chu-xiong
532500 红河哈尼族彝族自治州 hong-he
532600 文山壮族苗族自治州 wen-shan
532800 西双版纳傣族自治州 xi-shuang-ban-na
532900 大理白族自治州 da-li
533100 德宏傣族景颇族自治州 de-hong
533300 怒江傈僳族自治州 nu-jiang
533400 迪庆藏族自治州 di-qing
540100 拉萨市 la-sa
540200 日喀则市 ri-ka-ze
540300 昌都市 chang-du
540400 林芝市 lin-zhi
540500 山南市 shan-nan
540600 那曲市 na-qu
542500 阿里地区 a-li
610100 西安市 xi-an
610200 铜川市 tong-chuan
610300 宝鸡市 bao-ji
610400 咸阳市 xian-yang
610500 渭南市 wei-nan
610600 延安市 yan-an
610700 汉中市 han-zhong
610800 榆林市 yu-lin
610900 安康市 an-kang
611000 商洛市 shang-luo
620100 兰州市 lan-zhou
620200 嘉峪关市 jia-yu-guan
620300 金昌市 jin-chang
620400 白银市 bai-yin
620500 天水市 tian-shui
620600 武威市 wu-wei
620700 张掖市 zhang-ye
620800 平凉市 ping-liang
620900 酒泉市 jiu-quan
621000 庆阳市 qing-yang
621100 定西市 ding-xi
621200 陇南市 long-nan
622900 临夏回族自治州 lin-xia
623000 甘南藏族自治州 gan-nan
630100 西宁市 xi-ning
630200 海东市 hai-dong
632200 海北藏族自治州 hai-bei
632300 黄南藏族自治州 huang-nan
632500 海南藏族自治州 hai-nan
632600 果洛藏族自治州 guo-luo
632700 玉树藏族自治州 yu-shu
632800 海西蒙古族藏族自治州 hai-xi
640100 银川市 yin-chuan
640200 石嘴山市 shi-zui-shan
640300 吴忠市 wu-zhong
640400 固原市 gu-yuan
640500 中卫市 zhong-wei
650100 乌鲁木齐市 wu-lu-mu-qi
650200 克拉玛依市 ke-la-ma-yi
650400 吐鲁番市 tu-lu-fan
650500 哈密市 ha-mi
652300 昌吉回族自治州 chang-ji
652700 博尔塔拉蒙古自治州 bo-er-ta-la
652800 巴音郭楞蒙古自治州 ba-yin-guo-leng
652900 阿克苏地区 a-ke-su
653000 克孜勒苏柯尔克孜自治州 ke-zi-le-su
653100 喀什地区 ka-shi
653200 和田地区 he-tian
654000 伊犁哈萨克自治州 yi-li
654200 塔城地区 ta-cheng
654300 阿勒泰地区 a-le-tai
"""

SUBPROVINCIAL = frozenset({
    "230100", "220100", "210100", "210200", "370100", "370200", "320100", "330100",
    "330200", "350200", "420100", "440100", "440300", "510100", "610100",
})  # 哈尔滨 长春 沈阳 大连 济南 青岛 南京 杭州 宁波 厦门 武汉 广州 深圳 成都 西安

PROVINCIAL_CAPITALS = frozenset({
    "130100", "140100", "150100", "210100", "220100", "230100", "320100", "330100", "340100",
    "350100", "360100", "370100", "410100", "420100", "430100", "440100", "450100", "460100",
    "510100", "520100", "530100", "540100", "610100", "620100", "630100", "640100", "650100",
})  # the capitals of the 27 provinces and autonomous regions (the 4 municipalities have none)

# The 507 county-level sites: every county-level unit of the 4 municipalities (86), of the 15 sub-provincial
# cities (176) and of the other 17 provincial capitals (170); every one of 佛山 苏州 柳州 无锡 镇江 六安 宿迁
# (top-ranked prefecture cities, 49) and of 温州 扬州 滁州 (homes of ranked counties, 25); and 济源, a
# county-level city administered directly by 河南 (1). Code, official name, pinyin (see the module doc).
COUNTIES = """
110101 东城区 dong-cheng
110102 西城区 xi-cheng
110105 朝阳区 chao-yang
110106 丰台区 feng-tai
110107 石景山区 shi-jing-shan
110108 海淀区 hai-dian
110109 门头沟区 men-tou-gou
110111 房山区 fang-shan
110112 通州区 tong-zhou
110113 顺义区 shun-yi
110114 昌平区 chang-ping
110115 大兴区 da-xing
110116 怀柔区 huai-rou
110117 平谷区 ping-gu
110118 密云区 mi-yun
110119 延庆区 yan-qing
120101 和平区 he-ping
120102 河东区 he-dong
120103 河西区 he-xi
120104 南开区 nan-kai
120105 河北区 he-bei
120106 红桥区 hong-qiao
120110 东丽区 dong-li
120111 西青区 xi-qing
120112 津南区 jin-nan
120113 北辰区 bei-chen
120114 武清区 wu-qing
120115 宝坻区 bao-di
120116 滨海新区 bin-hai
120117 宁河区 ning-he
120118 静海区 jing-hai
120119 蓟州区 ji-zhou
130102 长安区 chang-an
130104 桥西区 qiao-xi
130105 新华区 xin-hua
130107 井陉矿区 jing-xing-kuang
130108 裕华区 yu-hua
130109 藁城区 gao-cheng
130110 鹿泉区 lu-quan
130111 栾城区 luan-cheng
130121 井陉县 jing-xing
130123 正定县 zheng-ding
130125 行唐县 xing-tang
130126 灵寿县 ling-shou
130127 高邑县 gao-yi
130128 深泽县 shen-ze
130129 赞皇县 zan-huang
130130 无极县 wu-ji
130131 平山县 ping-shan
130132 元氏县 yuan-shi
130133 赵县 zhao
130181 辛集市 xin-ji
130183 晋州市 jin-zhou
130184 新乐市 xin-le
140105 小店区 xiao-dian
140106 迎泽区 ying-ze
140107 杏花岭区 xing-hua-ling
140108 尖草坪区 jian-cao-ping
140109 万柏林区 wan-bai-lin
140110 晋源区 jin-yuan
140121 清徐县 qing-xu
140122 阳曲县 yang-qu
140123 娄烦县 lou-fan
140181 古交市 gu-jiao
150102 新城区 xin-cheng
150103 回民区 hui-min
150104 玉泉区 yu-quan
150105 赛罕区 sai-han
150121 土默特左旗 tu-mo-te-zuo
150122 托克托县 tuo-ke-tuo
150123 和林格尔县 he-lin-ge-er
150124 清水河县 qing-shui-he
150125 武川县 wu-chuan
210102 和平区 he-ping
210103 沈河区 shen-he
210104 大东区 da-dong
210105 皇姑区 huang-gu
210106 铁西区 tie-xi
210111 苏家屯区 su-jia-tun
210112 浑南区 hun-nan
210113 沈北新区 shen-bei
210114 于洪区 yu-hong
210115 辽中区 liao-zhong
210123 康平县 kang-ping
210124 法库县 fa-ku
210181 新民市 xin-min
210202 中山区 zhong-shan
210203 西岗区 xi-gang
210204 沙河口区 sha-he-kou
210211 甘井子区 gan-jing-zi
210212 旅顺口区 lv-shun-kou
210213 金州区 jin-zhou
210214 普兰店区 pu-lan-dian
210224 长海县 chang-hai
210281 瓦房店市 wa-fang-dian
210283 庄河市 zhuang-he
220102 南关区 nan-guan
220103 宽城区 kuan-cheng
220104 朝阳区 chao-yang
220105 二道区 er-dao
220106 绿园区 lv-yuan
220112 双阳区 shuang-yang
220113 九台区 jiu-tai
220122 农安县 nong-an
220182 榆树市 yu-shu
220183 德惠市 de-hui
230102 道里区 dao-li
230103 南岗区 nan-gang
230104 道外区 dao-wai
230108 平房区 ping-fang
230109 松北区 song-bei
230110 香坊区 xiang-fang
230111 呼兰区 hu-lan
230112 阿城区 a-cheng
230113 双城区 shuang-cheng
230123 依兰县 yi-lan
230124 方正县 fang-zheng
230125 宾县 bin
230126 巴彦县 ba-yan
230127 木兰县 mu-lan
230128 通河县 tong-he
230129 延寿县 yan-shou
230183 尚志市 shang-zhi
230184 五常市 wu-chang
310101 黄浦区 huang-pu
310104 徐汇区 xu-hui
310105 长宁区 chang-ning
310106 静安区 jing-an
310107 普陀区 pu-tuo
310109 虹口区 hong-kou
310110 杨浦区 yang-pu
310112 闵行区 min-hang
310113 宝山区 bao-shan
310114 嘉定区 jia-ding
310115 浦东新区 pu-dong
310116 金山区 jin-shan
310117 松江区 song-jiang
310118 青浦区 qing-pu
310120 奉贤区 feng-xian
310151 崇明区 chong-ming
320102 玄武区 xuan-wu
320104 秦淮区 qin-huai
320105 建邺区 jian-ye
320106 鼓楼区 gu-lou
320111 浦口区 pu-kou
320113 栖霞区 qi-xia
320114 雨花台区 yu-hua-tai
320115 江宁区 jiang-ning
320116 六合区 lu-he
320117 溧水区 li-shui
320118 高淳区 gao-chun
320205 锡山区 xi-shan
320206 惠山区 hui-shan
320211 滨湖区 bin-hu
320213 梁溪区 liang-xi
320214 新吴区 xin-wu
320281 江阴市 jiang-yin
320282 宜兴市 yi-xing
320505 虎丘区 hu-qiu
320506 吴中区 wu-zhong
320507 相城区 xiang-cheng
320508 姑苏区 gu-su
320509 吴江区 wu-jiang
320581 常熟市 chang-shu
320582 张家港市 zhang-jia-gang
320583 昆山市 kun-shan
320585 太仓市 tai-cang
321002 广陵区 guang-ling
321003 邗江区 han-jiang
321012 江都区 jiang-du
321023 宝应县 bao-ying
321081 仪征市 yi-zheng
321084 高邮市 gao-you
321102 京口区 jing-kou
321111 润州区 run-zhou
321112 丹徒区 dan-tu
321181 丹阳市 dan-yang
321182 扬中市 yang-zhong
321183 句容市 ju-rong
321302 宿城区 su-cheng
321311 宿豫区 su-yu
321322 沭阳县 shu-yang
321323 泗阳县 si-yang
321324 泗洪县 si-hong
330102 上城区 shang-cheng
330103 下城区 xia-cheng
330104 江干区 jiang-gan
330105 拱墅区 gong-shu
330106 西湖区 xi-hu
330108 滨江区 bin-jiang
330109 萧山区 xiao-shan
330110 余杭区 yu-hang
330111 富阳区 fu-yang
330112 临安区 lin-an
330122 桐庐县 tong-lu
330127 淳安县 chun-an
330182 建德市 jian-de
330203 海曙区 hai-shu
330205 江北区 jiang-bei
330206 北仑区 bei-lun
330211 镇海区 zhen-hai
330212 鄞州区 yin-zhou
330213 奉化区 feng-hua
330225 象山县 xiang-shan
330226 宁海县 ning-hai
330281 余姚市 yu-yao
330282 慈溪市 ci-xi
330302 鹿城区 lu-cheng
330303 龙湾区 long-wan
330304 瓯海区 ou-hai
330305 洞头区 dong-tou
330324 永嘉县 yong-jia
330326 平阳县 ping-yang
330327 苍南县 cang-nan
330328 文成县 wen-cheng
330329 泰顺县 tai-shun
330381 瑞安市 rui-an
330382 乐清市 yue-qing
340102 瑶海区 yao-hai
340103 庐阳区 lu-yang
340104 蜀山区 shu-shan
340111 包河区 bao-he
340121 长丰县 chang-feng
340122 肥东县 fei-dong
340123 肥西县 fei-xi
340124 庐江县 lu-jiang
340181 巢湖市 chao-hu
341102 琅琊区 lang-ya
341103 南谯区 nan-qiao
341122 来安县 lai-an
341124 全椒县 quan-jiao
341125 定远县 ding-yuan
341126 凤阳县 feng-yang
341181 天长市 tian-chang
341182 明光市 ming-guang
341502 金安区 jin-an
341503 裕安区 yu-an
341504 叶集区 ye-ji
341522 霍邱县 huo-qiu
341523 舒城县 shu-cheng
341524 金寨县 jin-zhai
341525 霍山县 huo-shan
350102 鼓楼区 gu-lou
350103 台江区 tai-jiang
350104 仓山区 cang-shan
350105 马尾区 ma-wei
350111 晋安区 jin-an
350112 长乐区 chang-le
350121 闽侯县 min-hou
350122 连江县 lian-jiang
350123 罗源县 luo-yuan
350124 闽清县 min-qing
350125 永泰县 yong-tai
350128 平潭县 ping-tan
350181 福清市 fu-qing
350203 思明区 si-ming
350205 海沧区 hai-cang
350206 湖里区 hu-li
350211 集美区 ji-mei
350212 同安区 tong-an
350213 翔安区 xiang-an
360102 东湖区 dong-hu
360103 西湖区 xi-hu
360104 青云谱区 qing-yun-pu
360105 湾里区 wan-li
360111 青山湖区 qing-shan-hu
360112 新建区 xin-jian
360121 南昌县 nan-chang
360123 安义县 an-yi
360124 进贤县 jin-xian
370102 历下区 li-xia
370103 市中区 shi-zhong
370104 槐荫区 huai-yin
370105 天桥区 tian-qiao
370112 历城区 li-cheng
370113 长清区 chang-qing
370114 章丘区 zhang-qiu
370124 平阴县 ping-yin
370125 济阳县 ji-yang
370126 商河县 shang-he
370202 市南区 shi-nan
370203 市北区 shi-bei
370211 黄岛区 huang-dao
370212 崂山区 lao-shan
370213 李沧区 li-cang
370214 城阳区 cheng-yang
370215 即墨区 ji-mo
370281 胶州市 jiao-zhou
370283 平度市 ping-du
370285 莱西市 lai-xi
410102 中原区 zhong-yuan
410103 二七区 er-qi
410104 管城回族区 guan-cheng
410105 金水区 jin-shui
410106 上街区 shang-jie
410108 惠济区 hui-ji
410122 中牟县 zhong-mu
410181 巩义市 gong-yi
410182 荥阳市 xing-yang
410183 新密市 xin-mi
410184 新郑市 xin-zheng
410185 登封市 deng-feng
419001 济源市 ji-yuan
420102 江岸区 jiang-an
420103 江汉区 jiang-han
420104 硚口区 qiao-kou
420105 汉阳区 han-yang
420106 武昌区 wu-chang
420107 青山区 qing-shan
420111 洪山区 hong-shan
420112 东西湖区 dong-xi-hu
420113 汉南区 han-nan
420114 蔡甸区 cai-dian
420115 江夏区 jiang-xia
420116 黄陂区 huang-pi
420117 新洲区 xin-zhou
430102 芙蓉区 fu-rong
430103 天心区 tian-xin
430104 岳麓区 yue-lu
430105 开福区 kai-fu
430111 雨花区 yu-hua
430112 望城区 wang-cheng
430121 长沙县 chang-sha
430181 浏阳市 liu-yang
430182 宁乡市 ning-xiang
440103 荔湾区 li-wan
440104 越秀区 yue-xiu
440105 海珠区 hai-zhu
440106 天河区 tian-he
440111 白云区 bai-yun
440112 黄埔区 huang-pu
440113 番禺区 pan-yu
440114 花都区 hua-du
440115 南沙区 nan-sha
440117 从化区 cong-hua
440118 增城区 zeng-cheng
440303 罗湖区 luo-hu
440304 福田区 fu-tian
440305 南山区 nan-shan
440306 宝安区 bao-an
440307 龙岗区 long-gang
440308 盐田区 yan-tian
440309 龙华区 long-hua
440310 坪山区 ping-shan
440604 禅城区 chan-cheng
440605 南海区 nan-hai
440606 顺德区 shun-de
440607 三水区 san-shui
440608 高明区 gao-ming
450102 兴宁区 xing-ning
450103 青秀区 qing-xiu
450105 江南区 jiang-nan
450107 西乡塘区 xi-xiang-tang
450108 良庆区 liang-qing
450109 邕宁区 yong-ning
450110 武鸣区 wu-ming
450123 隆安县 long-an
450124 马山县 ma-shan
450125 上林县 shang-lin
450126 宾阳县 bin-yang
450127 横县 heng
450202 城中区 cheng-zhong
450203 鱼峰区 yu-feng
450204 柳南区 liu-nan
450205 柳北区 liu-bei
450206 柳江区 liu-jiang
450222 柳城县 liu-cheng
450223 鹿寨县 lu-zhai
450224 融安县 rong-an
450225 融水苗族自治县 rong-shui
450226 三江侗族自治县 san-jiang
460105 秀英区 xiu-ying
460106 龙华区 long-hua
460107 琼山区 qiong-shan
460108 美兰区 mei-lan
500101 万州区 wan-zhou
500102 涪陵区 fu-ling
500103 渝中区 yu-zhong
500104 大渡口区 da-du-kou
500105 江北区 jiang-bei
500106 沙坪坝区 sha-ping-ba
500107 九龙坡区 jiu-long-po
500108 南岸区 nan-an
500109 北碚区 bei-bei
500110 綦江区 qi-jiang
500111 大足区 da-zu
500112 渝北区 yu-bei
500113 巴南区 ba-nan
500114 黔江区 qian-jiang
500115 长寿区 chang-shou
500116 江津区 jiang-jin
500117 合川区 he-chuan
500118 永川区 yong-chuan
500119 南川区 nan-chuan
500120 璧山区 bi-shan
500151 铜梁区 tong-liang
500152 潼南区 tong-nan
500153 荣昌区 rong-chang
500154 开州区 kai-zhou
500155 梁平区 liang-ping
500156 武隆区 wu-long
500229 城口县 cheng-kou
500230 丰都县 feng-du
500231 垫江县 dian-jiang
500233 忠县 zhong
500235 云阳县 yun-yang
500236 奉节县 feng-jie
500237 巫山县 wu-shan
500238 巫溪县 wu-xi
500240 石柱土家族自治县 shi-zhu
500241 秀山土家族苗族自治县 xiu-shan
500242 酉阳土家族苗族自治县 you-yang
500243 彭水苗族土家族自治县 peng-shui
510104 锦江区 jin-jiang
510105 青羊区 qing-yang
510106 金牛区 jin-niu
510107 武侯区 wu-hou
510108 成华区 cheng-hua
510112 龙泉驿区 long-quan-yi
510113 青白江区 qing-bai-jiang
510114 新都区 xin-du
510115 温江区 wen-jiang
510116 双流区 shuang-liu
510117 郫都区 pi-du
510121 金堂县 jin-tang
510129 大邑县 da-yi
510131 蒲江县 pu-jiang
510132 新津县 xin-jin
510181 都江堰市 du-jiang-yan
510182 彭州市 peng-zhou
510183 邛崃市 qiong-lai
510184 崇州市 chong-zhou
510185 简阳市 jian-yang
520102 南明区 nan-ming
520103 云岩区 yun-yan
520111 花溪区 hua-xi
520112 乌当区 wu-dang
520113 白云区 bai-yun
520115 观山湖区 guan-shan-hu
520121 开阳县 kai-yang
520122 息烽县 xi-feng
520123 修文县 xiu-wen
520181 清镇市 qing-zhen
530102 五华区 wu-hua
530103 盘龙区 pan-long
530111 官渡区 guan-du
530112 西山区 xi-shan
530113 东川区 dong-chuan
530114 呈贡区 cheng-gong
530115 晋宁区 jin-ning
530124 富民县 fu-min
530125 宜良县 yi-liang
530126 石林彝族自治县 shi-lin
530127 嵩明县 song-ming
530128 禄劝彝族苗族自治县 lu-quan
530129 寻甸回族彝族自治县 xun-dian
530181 安宁市 an-ning
540102 城关区 cheng-guan
540103 堆龙德庆区 dui-long-de-qing
540104 达孜区 da-zi
540121 林周县 lin-zhou
540122 当雄县 dang-xiong
540123 尼木县 ni-mu
540124 曲水县 qu-shui
540127 墨竹工卡县 mo-zhu-gong-ka
610102 新城区 xin-cheng
610103 碑林区 bei-lin
610104 莲湖区 lian-hu
610111 灞桥区 ba-qiao
610112 未央区 wei-yang
610113 雁塔区 yan-ta
610114 阎良区 yan-liang
610115 临潼区 lin-tong
610116 长安区 chang-an
610117 高陵区 gao-ling
610118 鄠邑区 hu-yi
610122 蓝田县 lan-tian
610124 周至县 zhou-zhi
620102 城关区 cheng-guan
620103 七里河区 qi-li-he
620104 西固区 xi-gu
620105 安宁区 an-ning
620111 红古区 hong-gu
620121 永登县 yong-deng
620122 皋兰县 gao-lan
620123 榆中县 yu-zhong
630102 城东区 cheng-dong
630103 城中区 cheng-zhong
630104 城西区 cheng-xi
630105 城北区 cheng-bei
630121 大通回族土族自治县 da-tong
630122 湟中县 huang-zhong
630123 湟源县 huang-yuan
640104 兴庆区 xing-qing
640105 西夏区 xi-xia
640106 金凤区 jin-feng
640121 永宁县 yong-ning
640122 贺兰县 he-lan
640181 灵武市 ling-wu
650102 天山区 tian-shan
650103 沙依巴克区 sha-yi-ba-ke
650104 新市区 xin-shi
650105 水磨沟区 shui-mo-gou
650106 头屯河区 tou-tun-he
650107 达坂城区 da-ban-cheng
650109 米东区 mi-dong
650121 乌鲁木齐县 wu-lu-mu-qi
"""

# The published 2018 results (中国软件评测中心, 2018年中国政府网站绩效评估). Provinces are named by short
# name, cities by official name, counties by (city or municipality, county). Ranks are as published: tied
# sites share a rank and the next rank follows on.
PUBLISHED_PROVINCE = {
    "top": [(1, ["北京"]), (2, ["上海"]), (3, ["四川"]), (4, ["湖北", "福建"]), (5, ["广西", "江西"]),
            (6, ["江苏", "广东"]), (7, ["贵州"]), (8, ["安徽"]), (9, ["山东"]), (10, ["浙江", "海南"])],
    "most_improved": ["吉林", "黑龙江", "河南"],
}
PUBLISHED_SUBPROVINCIAL = {
    "top": [(1, ["青岛市"]), (2, ["成都市"]), (3, ["深圳市"]), (4, ["武汉市"]), (5, ["广州市"]),
            (6, ["厦门市"]), (7, ["济南市"]), (8, ["南京市"]), (9, ["哈尔滨市"]), (10, ["杭州市"])],
    "most_improved": [],
}
PUBLISHED_CAPITAL = {
    "top": [(1, ["成都市"]), (2, ["长沙市"]), (3, ["武汉市"]), (4, ["广州市"]), (5, ["贵阳市", "南宁市"]),
            (6, ["福州市", "太原市"]), (7, ["济南市"]), (8, ["郑州市"]), (9, ["南昌市"])],
    "most_improved": ["南宁市", "郑州市", "海口市"],
}
PUBLISHED_PREFECTURE = {
    "top": [(1, ["佛山市"]), (2, ["苏州市"]), (3, ["柳州市", "无锡市"]), (4, ["潍坊市", "凉山彝族自治州"]),
            (5, ["镇江市"]), (6, ["六安市"]), (7, ["宁德市"]), (8, ["温州市"]), (9, ["南平市"]),
            (10, ["宿迁市"])],
    "most_improved": ["运城市", "南充市", "大同市", "梧州市"],
}
PUBLISHED_COUNTY = {
    "top": [(1, [("深圳市", "罗湖区")]), (2, [("佛山市", "禅城区")]), (3, [("武汉市", "武昌区")]),
            (4, [("深圳市", "福田区")]), (5, [("青岛市", "崂山区"), ("北京市", "西城区")]),
            (6, [("北京市", "大兴区")]), (7, [("扬州市", "仪征市")]), (8, [("温州市", "瓯海区")]),
            (9, [("佛山市", "顺德区")]), (10, [("广州市", "增城区")])],
    "most_improved": [("深圳市", "坪山区"), ("广州市", "增城区"), ("滁州市", "南谯区"), ("厦门市", "海沧区"),
                      ("成都市", "都江堰市")],
}

SOURCE = ("中国软件评测中心《2018年（第十七届）中国政府网站绩效评估结果》"
          " (2018 China government website performance evaluation, CSTC, December 2018)")

NOTES = (
    "provincial_capital: the source lists 南宁 a second time, at rank 8; that is an error in the source. "
    "南宁 is kept at rank 5 (tied with 贵阳) and 郑州 and 南昌 take the two ranks after 济南 (8 and 9).",
    "Ranks are as published: tied sites share a rank and the next rank follows on (dense ranking), so a "
    "group's top 10 ranks can hold more than 10 sites.",
    "广州增城区 is both at rank 10 of the county group and among its most improved, as published.",
    "subprovincial_city: no most-improved list is given for this group, so most_improved is empty.",
    "Entities are real (divisions and codes as of the MCA table of January 2018, departments as of the "
    "March 2018 State Council restructuring); site_ids follow the 网站标识码 shape but are not the real "
    "codes, and every url is a fictional .gov.test host.",
)
