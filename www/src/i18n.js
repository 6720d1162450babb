// Strings for the pre-check widget, in Simplified Chinese and English.
//
// Reason codes (R01..R15), policy rules (K, F, D, Q) and data-quality codes (DQ) follow the default
// model (tools/gen_default_model.py) and the engine (src/features, src/limit). A code this table does
// not know (a custom model, a new importer note) falls back to the engine's own English message, so
// nothing is ever hidden from the seller.

export const LOCALES = ['zh-CN', 'en'];

/** Normalises any locale tag to one we ship ("zh", "zh-Hans-CN" -> "zh-CN"; anything else -> "en"). */
export function pickLocale(tag) {
  const t = String(tag || '').toLowerCase();
  return t.startsWith('zh') ? 'zh-CN' : 'en';
}

const en = {
  title: 'Financing pre-check',
  subtitle: 'See what financing your store could get, in seconds.',
  privacy: 'Private by design: your file is read and scored inside this browser tab. It is never uploaded, and the estimate works offline once this page has loaded.',
  dropTitle: 'Drop your store export here',
  dropHint: 'CSV order export (Shopify, Olist or the generic layout) or a StoreData JSON file.',
  chooseFile: 'Choose a file…',
  orTry: 'No file at hand?',
  trySample: 'Try a sample store',
  sampleProfile: 'Sample store profile',
  profiles: { healthy: 'Healthy', growing: 'Growing', declining: 'Declining', seasonal: 'Seasonal', new: 'New store', wash_trading: 'Suspicious (wash trading)', delinquent: 'Late repayments' },
  preset: 'File format',
  presets: { auto: 'Detect automatically', shopify: 'Shopify order export', olist: 'Olist marketplace', generic: 'Generic order CSV', json: 'StoreData JSON' },
  detected: (p) => `Format: ${p}`,
  reading: 'Reading your file…',
  scoring: 'Scoring…',
  progressLabel: 'Progress of reading and scoring',
  loadingEngine: 'Loading the engine…',
  estimate: 'Your estimate',
  advisory: 'This is an estimate computed in your browser. The lender makes the final decision.',
  decision: { approve: 'Likely approved', refer: 'Needs a manual review', decline: 'Not eligible right now' },
  decisionHint: {
    approve: 'Your store qualifies for the offers below.',
    refer: 'A credit officer would look at your store before offering financing.',
    decline: 'The reasons below explain what stands in the way.',
  },
  score: 'Score',
  grade: 'Grade',
  pd: 'Estimated default probability',
  creditLine: 'Credit line',
  lineParts: { sales_based: 'Based on sales', receivables_based: 'Based on pending settlements', debt_deduction: 'Existing debt deducted' },
  noLine: 'No credit line at the moment',
  offers: 'Offers',
  product: 'Product',
  amount: 'Amount',
  term: 'Term',
  fee: 'Fee',
  apr: 'APR',
  repayment: 'Repayment',
  totalRepayable: 'Total to repay',
  days: (n) => `${n} days`,
  products: { purchase_financing: 'Purchase financing', receivables_advance: 'Settlement advance', working_capital: 'Working-capital loan' },
  productHint: {
    purchase_financing: 'Pays a supplier purchase order; repaid in one go.',
    receivables_advance: 'An advance on platform settlements you are owed.',
    working_capital: 'A loan sized on your sales.',
  },
  methods: {
    bullet: () => 'In one payment at the end',
    holdback: (o, f) => `${f.pct(o.holdback_rate)} of daily sales until repaid`,
    installments: (o, f) => (o.installments ? `${o.installments} installments` : 'Installments'),
    equal_installments: (o, f) => (o.installments ? `${o.installments} equal installments` : 'Equal installments'),
  },
  noOffers: 'No offers for now.',
  reasons: 'What holds the estimate back',
  reasonsNone: 'Nothing significant: every factor scored at or above the baseline.',
  pointsLost: (n) => `−${n} pts`,
  policy: 'Checks that applied',
  outcome: { decline: 'Blocks financing', refer: 'Needs review', pass: 'Passed' },
  sales: 'Monthly sales',
  salesDesc: (first, last, n) => `Bar chart of net sales for ${n} months, ${first} to ${last}.`,
  gross: 'Sales',
  refunds: 'Refunds',
  noSales: 'No monthly sales to show.',
  chartLoading: 'Preparing the monthly chart…',
  chartUnavailable: 'The monthly chart is not available for this file (too large for the browser).',
  whatIfTooLarge: 'This file is too large to try changes in the browser. The estimate above is complete.',
  dataQuality: 'Notes on your data',
  dqNone: 'No problems found in the data.',
  severity: { error: 'Error', warning: 'Warning', info: 'Note' },
  whatIf: 'How do I raise my line?',
  whatIfHint: 'Move a control to see how the estimate would change. Nothing is sent anywhere.',
  whatIfReset: 'Reset',
  drivers: {
    refund_rate_90d: 'Refund rate (90 days)',
    on_time_ship_rate_90d: 'Orders shipped on time (90 days)',
    avg_rating_180d: 'Average buyer rating (180 days)',
    avg_monthly_net_sales_3m: 'Monthly net sales',
    repeat_buyer_share: 'Repeat buyers',
    dispute_rate_90d: 'Dispute rate (90 days)',
  },
  lineChange: (sign, amount) => (sign === 0 ? 'No change to your line' : sign > 0 ? `Line up by ${amount}` : `Line down by ${amount}`),
  lineNow: (from, to) => `${from} → ${to}`,
  officialCheck: 'Request the official check',
  officialHint: 'Sends your store data to the lender for the authoritative decision. Only when you click.',
  officialSent: 'The host page received your request.',
  officialRunning: 'Asking the lender for the official decision…',
  officialMatch: 'The official decision matches this estimate.',
  officialDiffers: (what) => `The official decision differs from this estimate (${what}).`,
  officialError: (m) => `The official check failed: ${m}`,
  officialDecision: 'Official decision',
  another: 'Check another file',
  language: 'Language',
  model: (id, v) => `Model ${id} ${v}`,
  receipt: 'Receipt',
  errorTitle: 'We could not read this file',
  errorAt: (p) => `At ${p}`,
  orders: (n) => `${n} orders`,
  reasonTexts: {
    R01: ['The store is young: lenders see less of its track record.', 'Keep trading: the score improves as the store ages.'],
    R02: ['Few of the last 12 months had sales.', 'Sell every month, even a little.'],
    R03: ['Few orders in the last 90 days.', 'More orders give lenders more evidence.'],
    R04: ['Net sales fell against the previous quarter.', 'Growing sales quarter on quarter raises the score.'],
    R05: ['Monthly sales swing widely.', 'Steadier monthly sales score better.'],
    R06: ['A high share of sales is refunded.', 'Lower your refund rate: clearer listings, better packaging.'],
    R07: ['Many orders are cancelled.', 'Keep stock levels accurate to avoid cancellations.'],
    R08: ['Buyers open disputes on too many orders.', 'Resolve problems before buyers open disputes.'],
    R09: ['Buyer ratings are below what good stores get.', 'Higher buyer ratings raise the score.'],
    R10: ['Orders often ship late.', 'Ship within the promised time.'],
    R11: ['Few buyers come back to buy again.', 'Repeat buyers show a loyal customer base.'],
    R12: ['Sales depend heavily on a few buyers.', 'Spread sales over more buyers.'],
    R13: ['Payments on existing debt take a large share of sales.', 'Paying down existing debt frees room for a new line.'],
    R14: ['Earlier installments were paid late.', 'Pay installments on time.'],
    R15: ["The owner's personal credit record is weak.", 'A verified, healthy personal credit record helps.'],
    // the same codes when the points were lost because the data was missing (reason.missing)
    R04_missing: ['Not enough history to see the sales trend yet.', 'The score can use the trend after a few more months of sales.'],
    R05_missing: ['Not enough months of sales to judge their stability yet.', 'A few more months of sales will count.'],
    R06_missing: ['Refunds are not in your export.', 'Include refunds in the export: low refunds raise the score.'],
    R07_missing: ['Cancellations are not in your export.', 'Include cancelled orders in the export.'],
    R08_missing: ['Disputes are not in your export.', 'Include disputed orders in the export.'],
    R09_missing: ['No recent buyer ratings in your export.', 'Include buyer ratings in the export.'],
    R10_missing: ['Shipping dates are not in your export.', 'Include shipping dates: on-time shipping raises the score.'],
    R11_missing: ['Buyer ids are not in your export, so repeat buyers cannot be counted.', 'Include a buyer id or e-mail column.'],
    R12_missing: ['Buyer ids are not in your export, so buyer concentration cannot be checked.', 'Include a buyer id or e-mail column.'],
    R13_missing: ['Debt payments cannot be compared with recent sales.', 'Recent sales make this measurable.'],
    R14_missing: ['No repayment history with us yet.', 'Repaying a first loan on time builds it up.'],
    R15_missing: ["The owner's personal credit record was not provided.", 'Adding a verified personal credit record can help.'],
  },
  policyTexts: {
    K01: 'The store opened less than 3 months ago; at least 3 months of trading are needed.',
    K02: 'Fewer than 2 of the last 12 months had sales.',
    K03: 'No net sales in the last 90 days.',
    K04: "The owner's identity could not be verified.",
    F01: 'Many orders repeat an identical amount from the same buyer on the same day (a wash-trading pattern).',
    F02: 'Some orders repeat an identical amount from the same buyer on the same day.',
    F03: 'One buyer accounts for half or more of recent sales (possible self-dealing).',
    F04: "A sudden spike in sales against the store's usual weeks.",
    F05: "Orders far above the store's usual value make up most of recent sales.",
    F06: 'Orders placed at month end are cancelled or refunded far more often than others.',
    F07: "Declared revenue is more than three times what the store's orders show.",
    F08: "Declared revenue is well above what the store's orders show.",
    D01: 'An earlier installment was 60 or more days past due.',
    D02: 'An installment of an earlier loan is overdue now.',
    D03: 'Debt owed elsewhere is 90 or more days past due.',
    D04: 'Debt owed elsewhere is past due.',
    D05: 'Payments on existing debt take half or more of monthly sales.',
    Q01: 'Refunds or disputes are at a level that signals serious trouble with buyers.',
    Q02: "The owner's personal credit score is very low.",
  },
  // Data-quality notes carry numbers in the engine's message; only a generic lead is translated.
  dqTexts: {},
  // The import report's notes (free text from the importer), said for a seller; null: as is.
  importNote: (m) => importNote(m, {
    asOf: (d) => `Estimate date: ${d}, the latest date in the file.`,
    openedOn: (d) => `Store opening date taken as the first order's date, ${d}. If your store is older, the estimate may be too low.`,
    merchantId: () => 'No store ID was given; a placeholder ID was used.',
    folded: (a, b) => `${a} line-item rows were combined into ${b} orders.`,
    currency: (c) => `Amounts are in ${c}, the currency in the file.`,
  }),
  skipped: (n, rows, first) => `${n} of ${rows} rows were not imported${first ? `: ${first}` : ''}${n > 3 ? '; …' : ''}`,
};

const zh = {
  title: '融资预评估',
  subtitle: '几秒钟了解您的店铺可获得的融资额度。',
  privacy: '隐私保护：文件只在本浏览器页面内读取和评估，绝不上传；页面加载后即使断网也能使用。',
  dropTitle: '将店铺导出文件拖到这里',
  dropHint: 'CSV 订单导出（Shopify、Olist 或通用格式），或 StoreData JSON 文件。',
  chooseFile: '选择文件…',
  orTry: '手头没有文件？',
  trySample: '试用示例店铺',
  sampleProfile: '示例店铺类型',
  profiles: { healthy: '经营健康', growing: '快速增长', declining: '销售下滑', seasonal: '季节性', new: '新开店铺', wash_trading: '可疑（刷单）', delinquent: '还款逾期' },
  preset: '文件格式',
  presets: { auto: '自动识别', shopify: 'Shopify 订单导出', olist: 'Olist 平台', generic: '通用订单 CSV', json: 'StoreData JSON' },
  detected: (p) => `格式：${p}`,
  reading: '正在读取文件…',
  scoring: '正在评分…',
  progressLabel: '读取和评分进度',
  loadingEngine: '正在加载评估引擎…',
  estimate: '您的预估结果',
  advisory: '此结果由您的浏览器计算，仅供参考；最终以资金方审批为准。',
  decision: { approve: '大概率可获批', refer: '需人工审核', decline: '暂不符合条件' },
  decisionHint: {
    approve: '您的店铺符合以下融资方案的条件。',
    refer: '授信人员需要先审核您的店铺，才能给出融资方案。',
    decline: '下面列出了目前影响申请的原因。',
  },
  score: '评分',
  grade: '等级',
  pd: '预估违约概率',
  creditLine: '授信额度',
  lineParts: { sales_based: '按销售额', receivables_based: '按待结算款', debt_deduction: '扣减现有负债' },
  noLine: '暂时没有授信额度',
  offers: '融资方案',
  product: '产品',
  amount: '金额',
  term: '期限',
  fee: '费用',
  apr: '年化利率',
  repayment: '还款方式',
  totalRepayable: '应还总额',
  days: (n) => `${n} 天`,
  products: { purchase_financing: '采购融资', receivables_advance: '结算款提前收', working_capital: '经营贷' },
  productHint: {
    purchase_financing: '为供应商采购订单付款，到期一次还清。',
    receivables_advance: '提前获得平台应付给您的结算款。',
    working_capital: '按销售额核定的经营贷款。',
  },
  methods: {
    bullet: () => '到期一次性还款',
    holdback: (o, f) => `按每日销售额的 ${f.pct(o.holdback_rate)} 扣款直至还清`,
    installments: (o) => (o.installments ? `分 ${o.installments} 期还款` : '分期还款'),
    equal_installments: (o) => (o.installments ? `分 ${o.installments} 期等额还款` : '等额分期'),
  },
  noOffers: '暂无融资方案。',
  reasons: '影响额度的主要原因',
  reasonsNone: '没有明显扣分项：各项指标均不低于基准。',
  pointsLost: (n) => `−${n} 分`,
  policy: '触发的规则',
  outcome: { decline: '不予融资', refer: '需审核', pass: '通过' },
  sales: '月度销售额',
  salesDesc: (first, last, n) => `${first} 至 ${last} 共 ${n} 个月的净销售额柱状图。`,
  gross: '销售额',
  refunds: '退款',
  noSales: '没有可显示的月度销售数据。',
  chartLoading: '正在生成月度图表…',
  chartUnavailable: '此文件过大，浏览器中无法显示月度图表。',
  whatIfTooLarge: '此文件过大，无法在浏览器中模拟调整；上方的预估结果是完整的。',
  dataQuality: '数据说明',
  dqNone: '数据未发现问题。',
  severity: { error: '错误', warning: '注意', info: '提示' },
  whatIf: '如何提高额度？',
  whatIfHint: '调整下列指标，即时查看预估变化。所有计算都在本地完成。',
  whatIfReset: '重置',
  drivers: {
    refund_rate_90d: '退款率（近 90 天）',
    on_time_ship_rate_90d: '按时发货率（近 90 天）',
    avg_rating_180d: '平均买家评分（近 180 天）',
    avg_monthly_net_sales_3m: '月净销售额',
    repeat_buyer_share: '回头客占比',
    dispute_rate_90d: '纠纷率（近 90 天）',
  },
  lineChange: (sign, amount) => (sign === 0 ? '额度不变' : sign > 0 ? `额度提高 ${amount}` : `额度降低 ${amount}`),
  lineNow: (from, to) => `${from} → ${to}`,
  officialCheck: '申请正式审批',
  officialHint: '点击后才会把店铺数据发送给资金方，获取正式审批结果。',
  officialSent: '已通知宿主页面处理您的申请。',
  officialRunning: '正在向资金方获取正式审批结果…',
  officialMatch: '正式审批结果与本预估一致。',
  officialDiffers: (what) => `正式审批结果与本预估不一致（${what}）。`,
  officialError: (m) => `正式审批失败：${m}`,
  officialDecision: '正式审批结果',
  another: '评估其他文件',
  language: '语言',
  model: (id, v) => `模型 ${id} ${v}`,
  receipt: '凭证',
  errorTitle: '无法读取此文件',
  errorAt: (p) => `位置：${p}`,
  orders: (n) => `${n} 笔订单`,
  reasonTexts: {
    R01: ['店铺开业时间较短，可参考的经营记录较少。', '持续经营，店龄越长评分越高。'],
    R02: ['过去 12 个月中有销售的月份较少。', '尽量每个月都有销售。'],
    R03: ['近 90 天订单量较少。', '更多订单能为资金方提供更多依据。'],
    R04: ['净销售额较上一季度下降。', '季度销售额持续增长可提高评分。'],
    R05: ['月度销售额波动较大。', '月度销售越平稳，评分越高。'],
    R06: ['退款金额占销售额的比例偏高。', '降低退款率：完善商品描述，改进包装。'],
    R07: ['取消订单较多。', '保持库存准确，减少订单取消。'],
    R08: ['买家发起纠纷的订单过多。', '在买家发起纠纷前主动解决问题。'],
    R09: ['买家评分低于优质店铺水平。', '提高买家评分可提升评分。'],
    R10: ['订单经常延迟发货。', '在承诺时间内发货。'],
    R11: ['回头客较少。', '回头客多说明客户忠诚度高。'],
    R12: ['销售额过度依赖少数买家。', '让销售分散到更多买家。'],
    R13: ['现有债务的还款占销售额比例较高。', '偿还部分现有债务可为新额度腾出空间。'],
    R14: ['以往分期曾逾期还款。', '按时偿还每一期。'],
    R15: ['店主个人信用记录较弱。', '经核实的良好个人信用记录会有帮助。'],
    R04_missing: ['经营时间尚短，暂无法判断销售趋势。', '再经营几个月后即可计入趋势。'],
    R05_missing: ['销售月份较少，暂无法判断销售稳定性。', '再经营几个月后即可计入。'],
    R06_missing: ['导出文件中没有退款数据。', '导出时包含退款数据：退款率低可提高评分。'],
    R07_missing: ['导出文件中没有取消订单数据。', '导出时包含已取消的订单。'],
    R08_missing: ['导出文件中没有纠纷数据。', '导出时包含纠纷订单。'],
    R09_missing: ['导出文件中没有近期买家评分。', '导出时包含买家评分。'],
    R10_missing: ['导出文件中没有发货日期。', '导出时包含发货日期：按时发货可提高评分。'],
    R11_missing: ['导出文件中没有买家编号，无法统计回头客。', '导出时包含买家编号或邮箱列。'],
    R12_missing: ['导出文件中没有买家编号，无法检查买家集中度。', '导出时包含买家编号或邮箱列。'],
    R13_missing: ['缺少近期销售数据，无法衡量债务还款负担。', '有近期销售后即可衡量。'],
    R14_missing: ['您在本平台尚无还款记录。', '首笔借款按时还款即可建立记录。'],
    R15_missing: ['未提供店主个人信用记录。', '补充经核实的个人信用记录会有帮助。'],
  },
  policyTexts: {
    K01: '店铺开业不足 3 个月；至少需要 3 个月的经营记录。',
    K02: '过去 12 个月中有销售的月份少于 2 个。',
    K03: '近 90 天没有净销售额。',
    K04: '无法核实店主身份。',
    F01: '大量订单为同一买家同一天的相同金额（疑似刷单）。',
    F02: '部分订单为同一买家同一天的相同金额。',
    F03: '单一买家占近期销售额的一半以上（疑似自买自卖）。',
    F04: '销售额相对平常出现突增。',
    F05: '远高于店铺常见金额的订单占近期销售额的大部分。',
    F06: '月末下单的订单被取消或退款的比例远高于其他时间。',
    F07: '申报收入超过订单所显示收入的三倍。',
    F08: '申报收入明显高于订单所显示的收入。',
    D01: '以往某期还款逾期 60 天以上。',
    D02: '以往贷款目前有一期逾期未还。',
    D03: '在其他机构的债务逾期 90 天以上。',
    D04: '在其他机构的债务已逾期。',
    D05: '现有债务的还款占月销售额一半以上。',
    Q01: '退款或纠纷水平表明与买家之间存在严重问题。',
    Q02: '店主个人信用评分很低。',
  },
  dqTexts: {
    DQ04: '销售历史不足三个月，无法衡量增长和波动。',
    DQ06: '近 180 天的订单没有评分数据。',
    DQ07: '近 90 天没有发货日期，无法计算按时发货率。',
  },
  importNote: (m) => importNote(m, {
    asOf: (d) => `评估日期：${d}（文件中的最新日期）。`,
    openedOn: (d) => `开店日期按第一笔订单的日期 ${d} 计算；如店铺开设更早，预估额度可能偏低。`,
    merchantId: () => '未提供店铺编号，已使用占位编号。',
    folded: (a, b) => `${a} 行商品明细已合并为 ${b} 笔订单。`,
    currency: (c, w) => `金额按文件中的币种 ${c} 计算${w ? `（而非指定的 ${w}）` : ''}。`,
    refundsCapped: (n) => `${n} 笔退款超过订单金额，已按订单金额计算。`,
    noEmail: () => '文件中没有买家邮箱列，无法识别回头客。',
    noStatus: (x) => `文件中没有订单状态列，所有订单均按"${x}"处理。`,
    unused: (x) => `未使用的列：${x}`,
    datesAfter: (n) => `${n} 个晚于评估日期的发货或送达日期未计入。`,
    datesBefore: (n) => `${n} 个早于下单时间（或送达早于发货）的日期前后矛盾，未计入。`,
  }),
  skipped: (n, rows, first) => `${rows} 行中有 ${n} 行未能导入${first ? `：${first}` : ''}${n > 3 ? '；…' : ''}`,
};

/** Matches an importer note (src/store/import) to a phrase of `say`; null when none applies. */
function importNote(m, say) {
  const rules = [
    [/^as_of not given: the latest date in the (?:data|orders table), (\S+), was used/, 'asOf'],
    [/^opened_on not given: the first order's date (\S+) was used/, 'openedOn'],
    [/^merchant id not given/, 'merchantId'],
    [/^(\d+) line-item rows folded into (\d+) orders/, 'folded'],
    [/^the file's currency (\S+) was used, not the (\S+) given/, 'currency'],
    [/^(\d+) refunds larger than their order were capped/, 'refundsCapped'],
    [/^no Email column/, 'noEmail'],
    [/^no status column: every order is taken as (\S+)/, 'noStatus'],
    [/^columns not used: (.*)$/, 'unused'],
    [/^(\d+) shipping or delivery dates after as_of/, 'datesAfter'],
    [/^(\d+) shipping or delivery dates earlier than the order/, 'datesBefore'],
  ];
  for (const [re, key] of rules) {
    const hit = typeof m === 'string' && say[key] ? re.exec(m) : null;
    if (hit) return say[key](...hit.slice(1));
  }
  return null;
}

export const STRINGS = { en, 'zh-CN': zh };

/** Formatting helpers bound to one locale and one currency (Intl only: no library, no data files). */
export function formatters(locale, currency) {
  const cur = currency || 'CNY';
  let money;
  try {
    money = new Intl.NumberFormat(locale, { style: 'currency', currency: cur, maximumFractionDigits: 2 });
  } catch {
    money = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  }
  const moneyRound = (() => {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: cur, maximumFractionDigits: 0 });
    } catch {
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    }
  })();
  const compact = (() => {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: cur, notation: 'compact', maximumFractionDigits: 1 });
    } catch {
      return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
    }
  })();
  const pctFmt = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const pctFmt2 = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  return {
    money: (v) => money.format(v),
    moneyRound: (v) => moneyRound.format(v),
    compact: (v) => compact.format(v),
    pct: (v) => pctFmt.format(v),
    pct2: (v) => pctFmt2.format(v),
    num: (v) => num.format(v),
    int: (v) => int.format(v),
    month: (ym) => month.format(new Date(`${ym}-01T00:00:00Z`)),
  };
}
