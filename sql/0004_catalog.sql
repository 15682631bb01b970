-- 0004_catalog.sql — the reference data ("catalogue"), versioned by law.
--
-- Every table here says where each row comes from and when it applies:
--   legal_act   the act (and article) the row is taken from,
--   valid_from  the first day the row applies (usually the act's effective date),
--   valid_to    the last day it applies, NULL while in force,
--   confidence  C confirmed from the text, P partly confirmed (secondary
--               sources), U unconfirmed (a placeholder or a value copied
--               forward); see DOMAIN.md §0.3 and docs/domain.md,
--   version     1 on creation, +1 on every change (catalog.update).
-- Sources and confidence marks follow ../shared/DOMAIN.md §1, §2.5, §3, §4.
--
-- A rule change never rewrites an old row. A project is checked against the
-- rows in force on 1 January of its plan year and records the id of the
-- support_caps row it was checked against, so a 2019 project keeps meaning
-- what it meant in 2019.
--
-- How a cap change is entered, e.g. a new circular raising C02 from
-- 1 January 2026: an administrator calls
--   catalog.add_cap {cap_code: "C02", content_code: "ND45.4.3", pct_cap: 30,
--                    abs_cap_vnd: 1500000000, unit: "mô hình", base: "...",
--                    legal_act: "TT xx/2025/TT-BTC Điều 8", valid_from: "2026-01-01",
--                    confidence: "C"}
-- which in one statement sets valid_to = 2025-12-31 on the 2018 row of C02
-- (the row in force on the day before) and inserts the new row with
-- valid_from 2026-01-01 and valid_to NULL, and writes the audit row. The
-- 2018 row itself is not otherwise touched: a 2019 project that points at
-- it still finds the amount it was checked against. support_caps_no_overlap
-- (below) refuses two rows of one cap_code valid on the same day.
-- The other tables are keyed by code and change in place through
-- catalog.update (names, confidence, valid_to...); a content that is
-- replaced gets a new code and the old one a valid_to.

-- True when a row valid from @from to @to (NULL: open) applies on @on;
-- every row applies when @on is NULL.
create function kc_valid_on(p_from date, p_to date, p_on date) returns boolean
language sql immutable as $$
  select p_on is null or (p_from <= p_on and (p_to is null or p_to >= p_on))
$$;

-- Funding sources: NĐ 45/2012 Art. 12–13; TTLT 26/2014 Art. 7.3 (counterpart).
create table funding_sources (
  code text primary key check (code ~ '^[a-z][a-z_]{1,31}$'),
  name_vi text not null check (length(name_vi) between 1 and 500),
  name_en text not null check (length(name_en) between 1 and 500),
  sort int not null,
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  check (valid_to is null or valid_to >= valid_from)
);

insert into funding_sources (code, name_vi, name_en, sort, legal_act, valid_from, confidence, note) values
  ('central', 'Ngân sách trung ương', 'Central state budget', 10,
   'NĐ 45/2012/NĐ-CP Điều 12 khoản 1 điểm a', '2012-07-05', 'C',
   'Kinh phí khuyến công quốc gia (KCQG), giao hằng năm theo kế hoạch.'),
  ('local', 'Ngân sách địa phương', 'Local state budget', 20,
   'NĐ 45/2012/NĐ-CP Điều 13 khoản 1 điểm a', '2012-07-05', 'C',
   'Kinh phí khuyến công địa phương (KCĐP) của UBND cấp tỉnh (trước 2025 cả cấp huyện, xã).'),
  ('counterpart', 'Vốn đối ứng của đơn vị thụ hưởng', 'Beneficiary counterpart funds', 30,
   'TTLT 26/2014/TTLT-BTC-BCT Điều 7 khoản 3', '2014-04-08', 'C',
   'Đơn vị thụ hưởng phải đầu tư hoặc cam kết đầu tư toàn bộ phần kinh phí còn lại của đề án.'),
  ('other', 'Nguồn khác', 'Other lawful sources', 40,
   'NĐ 45/2012/NĐ-CP Điều 12 khoản 1 điểm b, c; Điều 13 khoản 1 điểm b, c', '2012-07-05', 'C',
   'Tài trợ, đóng góp của tổ chức, cá nhân trong và ngoài nước; nguồn hợp pháp khác.');

-- Content categories: NĐ 45/2012 Art. 4 (9 clauses, with the points of
-- clauses 7 and 9), and the NĐ 235/2025 additions as placeholders.
create table content_categories (
  code text primary key check (code ~ '^ND[0-9]+\.[0-9A-Za-z.đ]+$'),
  parent_code text references content_categories (code),
  name_vi text not null check (length(name_vi) between 1 and 1000),
  name_en text not null check (length(name_en) between 1 and 1000),
  sort int not null,
  -- may be registered as a đề án nhóm (TT 17/2018, DOMAIN §1.6)
  group_project_eligible boolean not null default false,
  -- procurement by bidding (đấu thầu) rather than selection (TT 36/2013 Art. 3)
  requires_bidding boolean not null default false,
  -- first advance (tạm ứng lần một) in percent (TT 36/2013 Art. 12 as amended
  -- by TT 17/2018, DOMAIN §2.5); NULL where it depends on the activity
  first_advance_pct int check (first_advance_pct in (30, 70, 100)),
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  check (valid_to is null or valid_to >= valid_from),
  check (parent_code is distinct from code)
);

insert into content_categories (code, parent_code, sort, name_vi, name_en, group_project_eligible,
                                requires_bidding, first_advance_pct, legal_act, valid_from,
                                confidence, note) values
  ('ND45.4.1', null, 10,
   'Đào tạo nghề, truyền nghề (chủ yếu ngắn hạn, gắn lý thuyết với thực hành) theo nhu cầu của các cơ sở công nghiệp',
   'Vocational training and craft transfer (short courses) for jobs and skills',
   true, false, 70, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 1', '2012-07-05', 'C', null),
  ('ND45.4.2', null, 20,
   'Hỗ trợ nâng cao năng lực quản lý doanh nghiệp, nhận thức và năng lực áp dụng sản xuất sạch hơn; hỗ trợ khởi sự, thành lập doanh nghiệp sản xuất CNNT; hỗ trợ mở rộng thị trường tiêu thụ, xuất khẩu sản phẩm CNNT',
   'Management capacity and cleaner-production capacity; start-up and enterprise formation; market and export expansion',
   true, false, 70, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 2', '2012-07-05', 'C',
   'Hỗ trợ thành lập doanh nghiệp CNNT: tạm ứng 100 % sau nghiệm thu cơ sở và giấy chứng nhận đăng ký doanh nghiệp.'),
  ('ND45.4.3', null, 30,
   'Hỗ trợ xây dựng mô hình trình diễn kỹ thuật; chuyển giao công nghệ và ứng dụng máy móc tiên tiến, tiến bộ khoa học kỹ thuật vào sản xuất CN-TTCN; xây dựng các mô hình thí điểm về áp dụng sản xuất sạch hơn',
   'Technical demonstration models; technology transfer and advanced machinery; cleaner-production pilot models',
   true, false, 70, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 3', '2012-07-05', 'C',
   'Đề án nhóm: chỉ phần ứng dụng máy móc thiết bị (xây dựng theo ngành hàng, sản phẩm).'),
  ('ND45.4.4', null, 40,
   'Phát triển sản phẩm CNNT tiêu biểu; hỗ trợ tổ chức và tham gia hội chợ, triển lãm hàng CNNT, thủ công mỹ nghệ; hỗ trợ xây dựng, đăng ký thương hiệu; đầu tư phòng trưng bày; xúc tiến thương mại khác',
   'Typical rural-industrial products (awards); fairs and exhibitions; branding and trademark registration; showrooms; trade promotion',
   true, false, 70, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 4', '2012-07-05', 'C',
   'Hội chợ trong và ngoài nước do KCQG kinh phí tổ chức: đấu thầu (TT 36/2013 Điều 3). Đề án nhóm: tham gia hội chợ, đăng ký nhãn hiệu.'),
  ('ND45.4.5', null, 50,
   'Tư vấn trợ giúp cơ sở CNNT: lập dự án đầu tư, marketing; quản lý sản xuất, tài chính, kế toán, nhân lực; thành lập doanh nghiệp; liên doanh, liên kết; thiết kế mẫu mã, bao bì; ứng dụng công nghệ, thiết bị mới; tiếp cận chính sách ưu đãi',
   'Consulting services to rural industrial establishments',
   true, false, 70, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 5', '2012-07-05', 'C', null),
  ('ND45.4.6', null, 60,
   'Cung cấp thông tin về chính sách phát triển công nghiệp, khuyến công, thông tin thị trường, mô hình điển hình, sản xuất sạch hơn (truyền hình, truyền thanh, bản tin, ấn phẩm, dữ liệu, trang thông tin điện tử, tờ rơi...)',
   'Information and communication (media, publications, databases, websites)',
   false, true, 70, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 6', '2012-07-05', 'C', null),
  ('ND45.4.7', null, 70,
   'Hỗ trợ liên doanh liên kết, hợp tác kinh tế, phát triển các cụm công nghiệp và di dời cơ sở gây ô nhiễm môi trường',
   'Linkages and cooperation; industrial clusters; relocating polluting establishments',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 7', '2012-07-05', 'C', null),
  ('ND45.4.7.a', 'ND45.4.7', 71,
   'Thành lập hiệp hội, hội ngành nghề; xây dựng cụm liên kết doanh nghiệp công nghiệp',
   'Associations; enterprise linkage clusters',
   false, false, 70, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 7 điểm a', '2012-07-05', 'C', null),
  ('ND45.4.7.b', 'ND45.4.7', 72,
   'Lập quy hoạch chi tiết, đầu tư kết cấu hạ tầng, thu hút đầu tư phát triển cụm công nghiệp',
   'Cluster detailed planning, infrastructure, investment attraction',
   false, true, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 7 điểm b', '2012-07-05', 'C',
   'Tạm ứng lần một: 30 % cho hạ tầng CCN, 70 % cho quy hoạch chi tiết CCN. Đấu thầu: hạ tầng CCN.'),
  ('ND45.4.7.c', 'ND45.4.7', 73,
   'Tư vấn, hỗ trợ lãi suất vốn vay cho cơ sở gây ô nhiễm di dời vào khu, cụm công nghiệp; hệ thống xử lý ô nhiễm tại cụm công nghiệp, cơ sở CNNT',
   'Relocation loan-interest support; pollution-treatment systems',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 7 điểm c', '2012-07-05', 'C',
   'Tạm ứng lần một: 30 % cho hệ thống xử lý ô nhiễm tại CCN (đấu thầu), 70 % tại cơ sở CNNT.'),
  ('ND45.4.8', null, 80,
   'Hợp tác quốc tế về khuyến công (chương trình, dự án quốc tế; trao đổi kinh nghiệm; nâng cao năng lực cán bộ qua hợp tác quốc tế)',
   'International cooperation',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 8', '2012-07-05', 'C', null),
  ('ND45.4.9', null, 90,
   'Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công',
   'Capacity of the industrial promotion system itself',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 9', '2012-07-05', 'C', null),
  ('ND45.4.9.a', 'ND45.4.9', 91,
   'Xây dựng chương trình, tài liệu, tổ chức đào tạo, tập huấn, bồi dưỡng cán bộ khuyến công',
   'Training of industrial promotion staff',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 9 điểm a', '2012-07-05', 'C', null),
  ('ND45.4.9.b', 'ND45.4.9', 92,
   'Tham quan khảo sát trong nước; hội thảo, hội nghị tổng kết; xây dựng, duy trì và phổ biến các cơ sở dữ liệu và trang thông tin điện tử về khuyến công, sản xuất sạch hơn',
   'Study tours, review conferences; industrial promotion databases and websites',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 9 điểm b', '2012-07-05', 'C',
   'Căn cứ pháp lý cho chính hệ thống này.'),
  ('ND45.4.9.c', 'ND45.4.9', 93,
   'Đầu tư cơ sở vật chất, phương tiện cho Trung tâm khuyến công vùng và tỉnh; mạng lưới cộng tác viên khuyến công',
   'Premises and equipment of the centres; collaborator network',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 9 điểm c', '2012-07-05', 'C', null),
  ('ND45.4.9.d', 'ND45.4.9', 94,
   'Xây dựng chương trình khuyến công từng giai đoạn; kế hoạch khuyến công hằng năm',
   'Building multi-year programmes and annual plans',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 9 điểm d', '2012-07-05', 'C', null),
  ('ND45.4.9.đ', 'ND45.4.9', 95,
   'Kiểm tra, giám sát, hướng dẫn triển khai chương trình, kế hoạch, đề án khuyến công',
   'Inspection, supervision and guidance',
   false, false, null, 'NĐ 45/2012/NĐ-CP Điều 4 khoản 9 điểm đ', '2012-07-05', 'C', null),
  ('ND235.SXTDBV', null, 100,
   'Hỗ trợ sản xuất và tiêu dùng bền vững',
   'Sustainable production and consumption',
   false, false, null, 'NĐ 235/2025/NĐ-CP (sửa đổi Điều 4 NĐ 45/2012/NĐ-CP)', '2025-10-15', 'U',
   'Mã và tên tạm, không phải văn bản chính thức: chưa đọc toàn văn NĐ 235/2025 (DOMAIN §1.7).'),
  ('ND235.CDS', null, 110,
   'Hỗ trợ chuyển đổi số cho cơ sở công nghiệp nông thôn',
   'Digital transformation of rural industrial establishments',
   false, false, null, 'NĐ 235/2025/NĐ-CP (sửa đổi Điều 4 NĐ 45/2012/NĐ-CP)', '2025-10-15', 'U',
   'Mã và tên tạm, không phải văn bản chính thức: chưa đọc toàn văn NĐ 235/2025 (DOMAIN §1.7).');

-- Eligible sectors: NĐ 45/2012 Art. 5 clause 1.
create table sectors (
  code text primary key check (code ~ '^5\.1\.[a-zđ]$'),
  name_vi text not null check (length(name_vi) between 1 and 1000),
  name_en text not null check (length(name_en) between 1 and 1000),
  sort int not null,
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  check (valid_to is null or valid_to >= valid_from)
);

insert into sectors (code, sort, name_vi, name_en, legal_act, valid_from, confidence, note) values
  ('5.1.a', 10, 'Công nghiệp chế biến nông – lâm – thủy sản và chế biến thực phẩm',
   'Agro-forestry-fishery and food processing', 'NĐ 45/2012/NĐ-CP Điều 5 khoản 1 điểm a', '2012-07-05', 'C', null),
  ('5.1.b', 20, 'Sản xuất hàng công nghiệp phục vụ tiêu dùng và xuất khẩu, hàng thay thế hàng nhập khẩu',
   'Consumer, export and import-substituting goods', 'NĐ 45/2012/NĐ-CP Điều 5 khoản 1 điểm b', '2012-07-05', 'C', null),
  ('5.1.c', 30, 'Công nghiệp hóa chất phục vụ nông nghiệp, nông thôn; sản xuất vật liệu xây dựng',
   'Agro-chemicals; building materials', 'NĐ 45/2012/NĐ-CP Điều 5 khoản 1 điểm c', '2012-07-05', 'C',
   'Không hỗ trợ lò gạch nung thủ công cải tiến, lò vòng; ưu tiên vật liệu không nung (TT 46/2012/TT-BCT Điều 5).'),
  ('5.1.d', 40, 'Sản xuất sản phẩm, phụ tùng; lắp ráp và sửa chữa máy móc, thiết bị, dụng cụ cơ khí, điện, điện tử – tin học; sản xuất, gia công chi tiết, bán thành phẩm và công nghiệp hỗ trợ',
   'Mechanical, electrical and electronic products, repair, parts, supporting industries',
   'NĐ 45/2012/NĐ-CP Điều 5 khoản 1 điểm d', '2012-07-05', 'C', null),
  ('5.1.đ', 50, 'Sản xuất hàng tiểu thủ công nghiệp',
   'Handicrafts and small-scale industry', 'NĐ 45/2012/NĐ-CP Điều 5 khoản 1 điểm đ', '2012-07-05', 'C', null),
  ('5.1.e', 60, 'Khai thác, chế biến khoáng sản tại địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn',
   'Mining and mineral processing in disadvantaged areas', 'NĐ 45/2012/NĐ-CP Điều 5 khoản 1 điểm e', '2012-07-05', 'C',
   '"Địa bàn khó khăn" theo NĐ 108/2006, đã được thay thế bởi các nghị định sau [U].'),
  ('5.1.g', 70, 'Áp dụng sản xuất sạch hơn trong cơ sở sản xuất công nghiệp; xử lý ô nhiễm môi trường tại cụm công nghiệp, cơ sở CNNT',
   'Cleaner production; pollution treatment', 'NĐ 45/2012/NĐ-CP Điều 5 khoản 1 điểm g', '2012-07-05', 'C', null);

-- Priority areas (a → d, in this order when funds are allocated): NĐ 45/2012 Art. 6.
create table priority_areas (
  code text primary key check (code ~ '^[a-z]$'),
  rank int not null unique check (rank > 0),
  name_vi text not null check (length(name_vi) between 1 and 1000),
  name_en text not null check (length(name_en) between 1 and 1000),
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  check (valid_to is null or valid_to >= valid_from)
);

insert into priority_areas (code, rank, name_vi, name_en, legal_act, valid_from, confidence, note) values
  ('a', 1, 'Huyện vùng cao, hải đảo, biên giới, vùng đồng bào dân tộc thiểu số',
   'Highland, island and border districts; ethnic-minority areas',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6', '2012-07-05', 'C',
   'Từ 01/07/2025 không còn cấp huyện: cách xác định địa bàn theo xã chưa rõ [U].'),
  ('b', 2, 'Huyện nghèo theo Nghị quyết 30a/2008/NQ-CP',
   'Poor districts under Resolution 30a/2008/NQ-CP',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6', '2012-07-05', 'C', null),
  ('c', 3, 'Xã thuộc Chương trình mục tiêu quốc gia xây dựng nông thôn mới',
   'Communes in the new-rural-area national target programme',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6', '2012-07-05', 'C', null),
  ('d', 4, 'Địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn',
   'Areas with difficult or very difficult socio-economic conditions',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6', '2012-07-05', 'C', null);

-- Priority sectors: NĐ 45/2012 Art. 6, definitions TT 46/2012 Art. 6.2.
-- grp 'b' is ranked before grp 'a' (rank 1 and 2); area priority comes
-- before sector priority when funds are tight.
create table priority_sectors (
  code text primary key check (code ~ '^[a-z][a-z_]{1,40}$'),
  grp char(1) not null check (grp in ('a', 'b')),
  rank int not null check (rank > 0),
  sort int not null,
  name_vi text not null check (length(name_vi) between 1 and 1000),
  name_en text not null check (length(name_en) between 1 and 1000),
  definition_vi text,
  definition_en text,
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  check (valid_to is null or valid_to >= valid_from)
);

insert into priority_sectors (code, grp, rank, sort, name_vi, name_en, definition_vi, definition_en,
                              legal_act, valid_from, confidence, note) values
  ('typical_product', 'b', 1, 10, 'Sản phẩm công nghiệp nông thôn tiêu biểu', 'Typical rural industrial product',
   'Sản phẩm được công nhận sản phẩm CNNT tiêu biểu, giấy chứng nhận còn hiệu lực.',
   'The product holds a valid typical-product certificate (DOMAIN §5).',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6 khoản 2', '2012-07-05', 'C', null),
  ('key_industry', 'b', 1, 20, 'Ngành, nghề, sản phẩm công nghiệp chủ lực, mũi nhọn', 'Key or spearhead industry',
   null, null, 'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6 khoản 2', '2012-07-05', 'C', null),
  ('export', 'b', 1, 30, 'Sản phẩm xuất khẩu', 'Export product',
   'Có hợp đồng xuất khẩu hoặc sản xuất để xuất khẩu.',
   'There is an export contract, or production is for export.',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6 khoản 2', '2012-07-05', 'C', null),
  ('local_materials', 'b', 1, 40, 'Sử dụng nguyên liệu tại chỗ', 'Local raw materials',
   'Giá trị nguyên liệu tại địa phương (trong tỉnh) chiếm trên 50 % tổng giá trị nguyên liệu.',
   'More than 50 % of the raw-material value comes from inside the province.',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6 khoản 2', '2012-07-05', 'C', null),
  ('labour_intensive', 'b', 1, 50, 'Sử dụng nhiều lao động', 'Labour-intensive production',
   'Sử dụng từ 50 lao động trở lên.', '50 or more workers.',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6 khoản 2', '2012-07-05', 'C', null),
  ('agri_machinery_chemicals', 'a', 2, 60, 'Cơ khí, hóa chất phục vụ nông nghiệp', 'Machinery and chemicals for agriculture',
   null, null, 'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6', '2012-07-05', 'C', null),
  ('agro_processing', 'a', 2, 70, 'Chế biến nông – lâm – thủy sản', 'Agro-forestry-fishery processing',
   null, null, 'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6', '2012-07-05', 'C', null),
  ('supporting_industry', 'a', 2, 80, 'Công nghiệp hỗ trợ', 'Supporting industry',
   'Sản phẩm thuộc danh mục công nghiệp hỗ trợ ưu tiên phát triển (QĐ 1483/QĐ-TTg, nay đã được thay thế [U]).',
   'On the priority list of supporting-industry products (QĐ 1483/QĐ-TTg, since replaced [U]).',
   'NĐ 45/2012/NĐ-CP Điều 6; TT 46/2012/TT-BCT Điều 6 khoản 2', '2012-07-05', 'C', null);

-- Indicators of the national summary report (DOMAIN §4.4): a proposed set
-- derived from the targets of QĐ 1288/QĐ-TTg, 1881/QĐ-TTg and 2646/QĐ-BCT.
create table indicators (
  code text primary key check (code ~ '^I[0-9]{2}[a-z]?$'),
  name_vi text not null check (length(name_vi) between 1 and 1000),
  name_en text not null check (length(name_en) between 1 and 1000),
  unit_vi text not null check (length(unit_vi) between 1 and 100),
  unit_en text not null check (length(unit_en) between 1 and 100),
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  check (valid_to is null or valid_to >= valid_from)
);

insert into indicators (code, name_vi, name_en, unit_vi, unit_en, legal_act, valid_from, confidence, note)
select code, name_vi, name_en, unit_vi, unit_en,
       coalesce(legal_act, 'QĐ 1288/QĐ-TTg; QĐ 1881/QĐ-TTg; QĐ 2646/QĐ-BCT (bộ chỉ tiêu đề xuất, DOMAIN §4.4)'),
       coalesce(valid_from, date '2014-08-01'), coalesce(confidence, 'P'), note
from (values
  ('I01', 'Số lao động được đào tạo nghề, truyền nghề', 'Workers trained (vocational training, craft transfer)',
   'người', 'persons', 'TT 36/2013/TT-BCT Điều 14 khoản 1; QĐ 1881/QĐ-TTg', null::date, null, 'Mục tiêu 2021–2025: 10.000 lao động.'),
  ('I02', 'Số lao động có việc làm sau đào tạo', 'Workers employed after training',
   'người', 'persons', 'TT 36/2013/TT-BCT Điều 14 khoản 1', null, null, null),
  ('I03', 'Số học viên, cơ sở được đào tạo khởi sự doanh nghiệp, nâng cao năng lực quản lý',
   'Trainees or establishments in start-up and management courses', 'người / cơ sở', 'persons / establishments', null, null, null, null),
  ('I04', 'Số mô hình trình diễn kỹ thuật', 'Technical demonstration models',
   'mô hình', 'models', null, null, null, 'Mục tiêu 2021–2025: 340 mô hình (QĐ 1881/QĐ-TTg).'),
  ('I05', 'Số máy móc thiết bị, dây chuyền công nghệ được hỗ trợ ứng dụng', 'Machines and technology lines supported',
   'chiếc / dây chuyền', 'machines / lines', null, null, null, 'Mục tiêu 2021–2025: 1.600 máy móc thiết bị, 300 dây chuyền.'),
  ('I06', 'Số cơ sở được hỗ trợ chuyển giao công nghệ', 'Establishments supported with technology transfer',
   'cơ sở', 'establishments', null, null, null, null),
  ('I07', 'Số cơ sở được đánh giá sản xuất sạch hơn; số mô hình thí điểm sản xuất sạch hơn',
   'Cleaner-production assessments; cleaner-production pilot models', 'cơ sở', 'establishments', null, null, null,
   'Mục tiêu 2021–2025: 300 cơ sở đánh giá, 100 mô hình thí điểm.'),
  ('I08', 'Số sản phẩm công nghiệp nông thôn tiêu biểu được công nhận (theo cấp)', 'Typical rural industrial products recognised (by level)',
   'sản phẩm', 'products', 'TT 26/2014/TT-BCT', null, null, null),
  ('I09', 'Số hội chợ được tổ chức; số lượt cơ sở tham gia hội chợ (trong nước, nước ngoài)',
   'Fairs organised; establishment participations (domestic, abroad)', 'hội chợ / lượt cơ sở', 'fairs / participations', null, null, null, null),
  ('I10', 'Số cơ sở được hỗ trợ xây dựng, đăng ký nhãn hiệu, thương hiệu', 'Establishments supported with branding and trademark registration',
   'cơ sở', 'establishments', null, null, null, 'Mục tiêu 2021–2025: 350 cơ sở.'),
  ('I11', 'Số phòng trưng bày được hỗ trợ', 'Showrooms supported', 'phòng', 'showrooms', null, null, null, null),
  ('I12', 'Số cơ sở được hỗ trợ tư vấn', 'Establishments given consulting support', 'cơ sở', 'establishments', null, null, null, null),
  ('I13', 'Số chương trình truyền hình, truyền thanh, ấn phẩm, bản tin', 'Broadcasts, publications and bulletins',
   'số', 'items', null, null, null, null),
  ('I14', 'Số hội, hiệp hội, cụm liên kết được hỗ trợ thành lập', 'Associations and linkage clusters supported',
   'số', 'items', null, null, null, null),
  ('I15', 'Số cụm công nghiệp được hỗ trợ quy hoạch chi tiết, hạ tầng, xử lý ô nhiễm', 'Industrial clusters supported (plans, infrastructure, pollution treatment)',
   'CCN', 'clusters', null, null, null, 'Mục tiêu 2021–2025: 50 quy hoạch chi tiết, khoảng 60 hệ thống xử lý ô nhiễm CCN.'),
  ('I16', 'Số cơ sở CNNT được hỗ trợ xử lý ô nhiễm, di dời', 'Establishments supported with pollution treatment or relocation',
   'cơ sở', 'establishments', null, null, null, 'Mục tiêu 2021–2025: 50 cơ sở.'),
  ('I17', 'Số đề án (KCQG, KCĐP; trong đó đề án điểm, đề án nhóm)', 'Projects (national, local; of which flagship, group)',
   'đề án', 'projects', null, null, null, null),
  ('I18', 'Kinh phí KCQG, KCĐP, vốn đối ứng, nguồn khác: kế hoạch, giải ngân, quyết toán',
   'Funds by source: planned, disbursed, settled', 'đồng', 'VND', null, null, null, null),
  ('I19', 'Tỷ lệ giải ngân', 'Disbursement rate', '%', '%', null, null, null, null),
  ('I20', 'Đề án thực hiện tại địa bàn ưu tiên (a–d)', 'Projects in priority areas (a–d)',
   'đề án / đồng', 'projects / VND', null, null, null, null),
  ('I21', 'Số cơ sở được hỗ trợ chuyển đổi số; sản xuất và tiêu dùng bền vững',
   'Establishments supported with digital transformation; sustainable production and consumption',
   'cơ sở', 'establishments', 'NĐ 235/2025/NĐ-CP; QĐ 2646/QĐ-BCT', date '2025-10-15', 'U',
   'Chỉ tiêu tạm cho nội dung mới của NĐ 235/2025; phụ lục QĐ 2646/QĐ-BCT chưa đọc.')
) as v (code, name_vi, name_en, unit_vi, unit_en, legal_act, valid_from, confidence, note);

-- National programmes: DOMAIN §4.
create table programme_periods (
  code text primary key check (code ~ '^KCQG-[0-9]{4}-[0-9]{4}$'),
  name_vi text not null check (length(name_vi) between 1 and 1000),
  name_en text not null check (length(name_en) between 1 and 1000),
  from_year int not null check (from_year between 2000 and 2100),
  to_year int not null check (to_year between 2000 and 2100),
  decision text not null,
  decision_date date not null,
  issuer text,
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  check (valid_to is null or valid_to >= valid_from),
  check (to_year >= from_year)
);

insert into programme_periods (code, name_vi, name_en, from_year, to_year, decision, decision_date,
                               issuer, legal_act, valid_from, valid_to, confidence, note) values
  ('KCQG-2014-2020', 'Chương trình khuyến công quốc gia đến năm 2020',
   'National industrial promotion programme to 2020', 2014, 2020,
   'QĐ 1288/QĐ-TTg', '2014-08-01', 'Thủ tướng Chính phủ', 'QĐ 1288/QĐ-TTg', '2014-08-01', '2020-12-31', 'C',
   'Chia hai giai đoạn: đến 2015 và 2016–2020; chỉ tiêu cụ thể chưa đọc được đầy đủ [P/U].'),
  ('KCQG-2021-2025', 'Chương trình khuyến công quốc gia giai đoạn 2021–2025',
   'National industrial promotion programme 2021–2025', 2021, 2025,
   'QĐ 1881/QĐ-TTg', '2020-11-20', 'Thủ tướng Chính phủ', 'QĐ 1881/QĐ-TTg', '2021-01-01', '2025-12-31', 'C',
   'Chỉ tiêu cụ thể theo báo chí, có thể chưa đầy đủ [P].'),
  ('KCQG-2026-2030', 'Chương trình khuyến công quốc gia giai đoạn 2026–2030',
   'National industrial promotion programme 2026–2030', 2026, 2030,
   'QĐ 2646/QĐ-BCT', '2025-09-23', 'Bộ trưởng Bộ Công Thương', 'QĐ 2646/QĐ-BCT', '2026-01-01', null, 'C',
   'Phê duyệt bởi Bộ trưởng theo NĐ 235/2025; phụ lục chỉ tiêu chưa đọc [U].');

-- Project kinds: TT 36/2013 as amended by TT 17/2018 (DOMAIN §1.6).
-- NULL bounds mean "no rule".
create table project_kinds (
  code text primary key check (code ~ '^[a-z][a-z_]{1,31}$'),
  name_vi text not null check (length(name_vi) between 1 and 500),
  name_en text not null check (length(name_en) between 1 and 500),
  sort int not null,
  min_years int check (min_years >= 1),
  max_years int check (max_years >= 1),
  min_contents int check (min_contents >= 1),
  min_beneficiaries int check (min_beneficiaries >= 0),
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  check (valid_to is null or valid_to >= valid_from),
  check (min_years is null or max_years is null or max_years >= min_years)
);

insert into project_kinds (code, name_vi, name_en, sort, min_years, max_years, min_contents,
                           min_beneficiaries, legal_act, valid_from, confidence, note) values
  ('regular', 'Đề án', 'Regular project', 10, 1, 1, 1, 1,
   'TT 36/2013/TT-BCT Điều 3, 5', '2014-02-10', 'C',
   'Một đề án với đơn vị thụ hưởng xác định, thực hiện trong năm kế hoạch.'),
  ('group', 'Đề án nhóm', 'Group project', 20, 1, 1, 1, null,
   'TT 36/2013/TT-BCT Điều 3a (bổ sung bởi TT 17/2018/TT-BCT khoản 3 Điều 1)', '2018-07-10', 'P',
   'Khi thẩm định cấp Bộ không cần nêu địa điểm, đơn vị thụ hưởng, đối tác (trừ đề án nhóm máy móc thiết bị). Nội dung: xem content_categories.group_project_eligible.'),
  ('flagship', 'Đề án điểm', 'Flagship project', 30, 2, 3, 2, 2,
   'TT 36/2013/TT-BCT Điều 3a (bổ sung bởi TT 17/2018/TT-BCT khoản 3 Điều 1)', '2014-02-10', 'P',
   'Từ TT 17/2018: 2–3 năm, ít nhất 2 nội dung và 2 đơn vị thụ hưởng, các nội dung gắn kết. Định nghĩa gốc 2013: ít nhất 2 nội dung, quy mô lớn, trên một năm.'),
  ('task', 'Nhiệm vụ', 'Task', 40, 1, 1, 1, 0,
   'TT 36/2013/TT-BCT; TT 17/2018/TT-BCT', '2014-02-10', 'P',
   'Hoạt động quản lý không có đơn vị thụ hưởng (ví dụ nhiệm vụ của Cục).');

-- The support caps of national (KCQG) projects: DOMAIN §3.4. Amounts in
-- đồng. A cap is checked as
--   support ≤ least(pct_cap % × base, abs_cap_vnd × (priority ? priority_factor : 1))
-- with NULL meaning "no such limit". priority_factor is the uplift for
-- priority areas and sectors (NĐ 45 Art. 6; TTLT 26/2014 Art. 6.2.t); its
-- confidence under TT 28/2018 is that of the C25 row. C16 (associations)
-- has two amounts in the act, regional and national: C16 and C16b.
create table support_caps (
  id bigint generated always as identity primary key,
  cap_code text not null check (cap_code ~ '^C[0-9]{2}[a-z]?$'),
  content_code text references content_categories (code),
  name_vi text not null check (length(name_vi) between 1 and 1000),
  name_en text not null check (length(name_en) between 1 and 1000),
  pct_cap numeric(5, 2) check (pct_cap > 0 and pct_cap <= 100),
  abs_cap_vnd bigint check (abs_cap_vnd >= 0),
  unit text,                          -- per what: mô hình, cơ sở, CCN, đợt...
  base text,                          -- what pct_cap is a percentage of
  priority_factor numeric(3, 2) check (priority_factor >= 1 and priority_factor <= 3),
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  unique (cap_code, valid_from),
  check (valid_to is null or valid_to >= valid_from)
);
create index support_caps_content_idx on support_caps (content_code, valid_from);

-- At most one row of a cap_code applies on any day. Checked at commit, so
-- that closing the old row and inserting the new one may happen in either
-- order inside one statement or transaction.
create function support_caps_no_overlap() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from support_caps o
              where o.cap_code = new.cap_code and o.id <> new.id
                and daterange(o.valid_from, o.valid_to, '[]')
                    && daterange(new.valid_from, new.valid_to, '[]')) then
    raise exception 'support cap % has two rows valid on the same day', new.cap_code
      using errcode = 'check_violation';
  end if;
  return null;
end $$;

create constraint trigger support_caps_no_overlap
  after insert or update of cap_code, valid_from, valid_to on support_caps
  deferrable initially deferred
  for each row execute function support_caps_no_overlap();

-- TTLT 26/2014/TTLT-BTC-BCT Art. 6.2 (read in full [S1]): confirmed.
insert into support_caps (cap_code, content_code, name_vi, name_en, pct_cap, abs_cap_vnd, unit, base,
                          priority_factor, legal_act, valid_from, valid_to, confidence, note)
select cap_code, content_code, name_vi, name_en, pct, trd * 1000000, unit, base, pf,
       'TTLT 26/2014/TTLT-BTC-BCT Điều 6 khoản 2', date '2014-04-08', date '2018-05-10', 'C', note
from (values
  ('C01', 'ND45.4.2', 'Hỗ trợ thành lập doanh nghiệp sản xuất CNNT tại địa bàn khó khăn, đặc biệt khó khăn',
   'Start-up of a rural industrial enterprise in disadvantaged areas', null::numeric, 10::bigint,
   'doanh nghiệp', 'hoàn thiện kế hoạch kinh doanh, dự án, chi phí đăng ký', 1.5::numeric, null::text),
  ('C02', 'ND45.4.3', 'Xây dựng mô hình trình diễn kỹ thuật để phổ biến công nghệ mới, sản xuất sản phẩm mới',
   'Demonstration model for a new technology or product', 30, 500,
   'mô hình', 'chi phí xây dựng mô hình (xây dựng, mua máy móc thiết bị, hoàn chỉnh tài liệu quy trình)', 1.5, null),
  ('C03', 'ND45.4.3', 'Mô hình trình diễn của cơ sở CNNT đang hoạt động có hiệu quả',
   'Demonstration at an already-efficient establishment', null, 100,
   'mô hình', 'hoàn chỉnh tài liệu, quy trình', 1.5, null),
  ('C04', 'ND45.4.3', 'Ứng dụng máy móc thiết bị, chuyển giao công nghệ tiên tiến vào sản xuất CN-TTCN',
   'Advanced machinery and technology transfer', 50, 200,
   'cơ sở', 'chi phí máy móc thiết bị, chuyển giao công nghệ', 1.5, null),
  ('C05', 'ND45.4.4', 'Tổ chức hội chợ triển lãm hàng CNNT, thủ công mỹ nghệ trong nước',
   'Organising domestic rural-industry fairs', 100, null,
   'hội chợ', 'thuê gian hàng, thông tin tuyên truyền, hoạt động ban tổ chức (giá đấu thầu hoặc giá được duyệt)', null, null),
  ('C06', 'ND45.4.4', 'Cơ sở CNNT tham gia hội chợ triển lãm khác trong nước',
   'Establishment attending other domestic fairs', 80, null,
   'cơ sở', 'tiền thuê gian hàng', null, null),
  ('C07', 'ND45.4.4', 'Tổ chức, tham gia hội chợ triển lãm tại nước ngoài',
   'Organising or attending fairs abroad', 100, null,
   'hội chợ', 'mặt bằng, thiết kế dàn dựng, trang trí khu Việt Nam, khai mạc, hội thảo trình diễn, cán bộ tổ chức', null, null),
  ('C08', 'ND45.4.4', 'Vé máy bay cho cơ sở CNNT đi khảo sát, học tập kinh nghiệm nước ngoài',
   'Air tickets for study tours abroad', 100, null,
   'người', 'vé máy bay (số người do cấp có thẩm quyền quyết định)', null, null),
  ('C09', 'ND45.4.4', 'Tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp khu vực',
   'Regional typical-product awards round', null, 100, 'đợt bình chọn', null, null, null),
  ('C10', 'ND45.4.4', 'Tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia',
   'National typical-product awards round', null, 200, 'đợt bình chọn', null, null, null),
  ('C11', 'ND45.4.4', 'Thưởng sản phẩm đạt giải cấp khu vực',
   'Prize for a product, regional level', null, 5, 'sản phẩm', null, null, null),
  ('C12', 'ND45.4.4', 'Thưởng sản phẩm đạt giải cấp quốc gia',
   'Prize for a product, national level', null, 10, 'sản phẩm', null, null, null),
  ('C13', 'ND45.4.4', 'Xây dựng và đăng ký thương hiệu sản phẩm CNNT',
   'Brand and trademark registration', 50, 35, 'thương hiệu', 'chi phí xây dựng, đăng ký thương hiệu', 1.5, null),
  ('C14', 'ND45.4.5', 'Thuê tư vấn trợ giúp cơ sở CNNT',
   'Consultancy for establishments', 50, 35, 'cơ sở', 'chi phí thuê tư vấn', 1.5, null),
  ('C15', 'ND45.4.6', 'Chương trình truyền hình, truyền thanh, bản tin, ấn phẩm, tờ rơi',
   'Media programmes and publications', null, null, 'hợp đồng',
   'theo hợp đồng, kết quả đấu thầu hoặc đơn giá được duyệt', null, null),
  ('C16', 'ND45.4.7.a', 'Thành lập hội, hiệp hội ngành nghề cấp vùng',
   'Founding a regional association', 30, 70, 'hiệp hội', 'chi phí thành lập', 1.5,
   'Mức cấp quốc gia: C16b.'),
  ('C16b', 'ND45.4.7.a', 'Thành lập hội, hiệp hội ngành nghề cấp quốc gia',
   'Founding a national association', 30, 100, 'hiệp hội', 'chi phí thành lập', 1.5,
   'Cùng khoản với C16; mức cấp quốc gia.'),
  ('C17', 'ND45.4.7.a', 'Hình thành cụm liên kết doanh nghiệp công nghiệp',
   'Forming an enterprise linkage cluster', 50, 150, 'cụm liên kết', 'chi phí hình thành cụm liên kết', 1.5, null),
  ('C18', 'ND45.4.7.c', 'Hỗ trợ lãi suất vốn vay cho cơ sở gây ô nhiễm di dời vào khu, cụm công nghiệp',
   'Loan-interest subsidy for relocating a polluting establishment', 50, 500, 'cơ sở', 'lãi suất vốn vay', 1.5,
   'Sau khi hoàn thành đầu tư; 2 năm đầu; vốn vay trung, dài hạn bằng VNĐ trả đúng hạn.'),
  ('C19', 'ND45.4.7.c', 'Sửa chữa, nâng cấp hệ thống xử lý ô nhiễm môi trường tại cơ sở CNNT',
   'Pollution treatment at an establishment', 30, 300, 'cơ sở', 'chi phí sửa chữa, nâng cấp', 1.5, null),
  ('C20', 'ND45.4.7.c', 'Sửa chữa, nâng cấp hệ thống xử lý ô nhiễm môi trường tại cụm công nghiệp',
   'Pollution treatment in an industrial cluster', 30, 1500, 'CCN', 'chi phí sửa chữa, nâng cấp', 1.5, null),
  ('C21', 'ND45.4.7.b', 'Lập quy hoạch chi tiết cụm công nghiệp',
   'Detailed plan of an industrial cluster', 50, 500, 'CCN', 'chi phí lập quy hoạch', 1.5, null),
  ('C22', 'ND45.4.7.b', 'Đầu tư hạ tầng cụm công nghiệp (san lấp mặt bằng, đường nội bộ, cấp thoát nước)',
   'Industrial cluster infrastructure', null, 3000, 'CCN', null, 1.5, null),
  ('C23', null, 'Chi quản lý chương trình, đề án khuyến công của cơ quan quản lý',
   'Programme management by the managing agency', 1.5, null, 'năm', 'tổng kinh phí khuyến công hằng năm', null, null),
  ('C24', null, 'Chi quản lý đề án của đơn vị thực hiện (tổ chức dịch vụ khuyến công)',
   'Project management by the implementer', 2.5, null, 'đề án', 'dự toán đề án', null, null),
  ('C25', null, 'Mức ưu tiên hỗ trợ (địa bàn, ngành nghề ưu tiên theo NĐ 45/2012 Điều 6)',
   'Priority uplift', null, null, 'lần mức hỗ trợ thông thường', 'mức hỗ trợ thông thường', 1.5,
   'Tối đa 1,5 lần mức hỗ trợ thông thường; priority_factor của từng mức là hệ số này.'),
  ('C26', 'ND45.4.1', 'Đào tạo nghề, truyền nghề; hội nghị, tập huấn; tham quan trong nước; biên soạn tài liệu',
   'Training, workshops, domestic tours, curricula', null, null, null,
   'theo định mức chi của các thông tư tài chính khác (DOMAIN §3.3)', null,
   'Không có mức trong thông tư khuyến công: áp dụng định mức chi chung (TT 123/2009, TTLT 112/2010, TT 97/2010...).'),
  ('C27', 'ND45.4.3', 'Mô hình thí điểm sản xuất sạch hơn',
   'Cleaner-production pilot models', null, null, null, 'theo định mức chi sản xuất sạch hơn (TTLT 221/2012)', null, null)
) as v (cap_code, content_code, name_vi, name_en, pct, trd, unit, base, pf, note);

-- TT 28/2018/TT-BTC Art. 8, from 11/05/2018: the values DOMAIN §3.4 marks
-- confirmed for 2018.
insert into support_caps (cap_code, content_code, name_vi, name_en, pct_cap, abs_cap_vnd, unit, base,
                          priority_factor, legal_act, valid_from, confidence, note)
select v.cap_code, o.content_code, o.name_vi, o.name_en, v.pct, v.trd * 1000000, o.unit, o.base,
       o.priority_factor, v.legal_act, date '2018-05-11', v.confidence, v.note
from (values
  ('C02', 30::numeric, 1000::bigint, 'TT 28/2018/TT-BTC Điều 8 khoản 2', 'C', null::text),
  ('C04', 50, 300, 'TT 28/2018/TT-BTC Điều 8 khoản 4', 'C', null),
  ('C07', 100, null, 'TT 28/2018/TT-BTC Điều 8 khoản 6', 'C', null),
  ('C08', 100, null, 'TT 28/2018/TT-BTC Điều 8', 'C', null),
  ('C09', null, 200, 'TT 28/2018/TT-BTC Điều 8', 'C', null),
  ('C10', null, 400, 'TT 28/2018/TT-BTC Điều 8', 'C', null),
  ('C22', null, 6000, 'TT 28/2018/TT-BTC Điều 8', 'C', null)
) as v (cap_code, pct, trd, legal_act, confidence, note)
join support_caps o on o.cap_code = v.cap_code and o.valid_from = date '2014-04-08';

-- C04b (technology line) is new in TT 28/2018: 1.5 × C04 = 450 trđ. The
-- percentage is not in the sources read; assumed to be C04's.
insert into support_caps (cap_code, content_code, name_vi, name_en, pct_cap, abs_cap_vnd, unit, base,
                          priority_factor, legal_act, valid_from, confidence, note) values
  ('C04b', 'ND45.4.3', 'Ứng dụng dây chuyền công nghệ tiên tiến vào sản xuất CN-TTCN',
   'Advanced technology line', 50, 450000000, 'cơ sở', 'chi phí dây chuyền công nghệ', 1.5,
   'TT 28/2018/TT-BTC Điều 8 khoản 4', '2018-05-11', 'P',
   'Mức tuyệt đối 1,5 × C04 = 450 trđ đã xác nhận; tỷ lệ 50 % giả định như C04 [U].');

-- Every other cap: the 2018 value was not found. The 2014 value is copied
-- forward, marked U, so that a 2018+ project is checked against something
-- and the check says the value is unconfirmed. TT 64/2024/TT-BTC amended
-- TT 28/2018 in ways not yet read.
insert into support_caps (cap_code, content_code, name_vi, name_en, pct_cap, abs_cap_vnd, unit, base,
                          priority_factor, legal_act, valid_from, confidence, note)
select o.cap_code, o.content_code, o.name_vi, o.name_en, o.pct_cap, o.abs_cap_vnd, o.unit, o.base,
       o.priority_factor, 'TT 28/2018/TT-BTC Điều 8', date '2018-05-11', 'U',
       concat_ws(' ', 'Chưa tìm thấy mức theo TT 28/2018: chép từ mức TTLT 26/2014, chưa xác nhận.', o.note)
from support_caps o
where o.valid_from = date '2014-04-08'
  and not exists (select 1 from support_caps n where n.cap_code = o.cap_code and n.valid_from = date '2018-05-11');

-- Calendar rules: one date per rule and plan year.
--   registration_deadline: the Department of Industry and Trade sends the
--   registration of national projects for plan year N to the Ministry
--   before 15/6 of N-1 (TT 36/2013, original), before 20/6 of N-1 from TT
--   17/2018 on (DOMAIN §2.2). A plan forwarded after it is accepted but
--   marked late.
create table calendar_rules (
  id bigint generated always as identity primary key,
  rule text not null check (rule ~ '^[a-z][a-z_]{1,63}$'),
  year int not null check (year between 2000 and 2100),
  due date not null,
  note text,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version int not null default 1 check (version >= 1),
  unique (rule, year),
  check (valid_to is null or valid_to >= valid_from)
);

insert into calendar_rules (rule, year, due, legal_act, valid_from, confidence, note)
select 'registration_deadline', y,
       case when y >= 2019 then make_date(y - 1, 6, 20) else make_date(y - 1, 6, 15) end,
       case when y >= 2019 then 'TT 36/2013/TT-BCT Điều 6 (sửa đổi bởi TT 17/2018/TT-BCT khoản 9 Điều 1)'
            else 'TT 36/2013/TT-BCT Điều 6 (bản gốc)' end,
       case when y >= 2019 then date '2018-07-10' else date '2014-02-10' end,
       case when y = 2019 then 'U' when y >= 2019 then 'P' else 'C' end,
       case when y = 2019 then
              'TT 17/2018 ký ngày 10/07/2018, sau hạn 20/06/2018: kế hoạch 2019 có thể vẫn theo hạn 15/06 của TT 36/2013.'
            when y >= 2026 then
              'Giả định hạn 20/6 giữ nguyên sau NĐ 235/2025 cho đến khi có thông tư mới.'
       end
from generate_series(2015, 2031) as y;

-- The caps of a content in force on a day (all rows of it when p_on is
-- NULL). Projects call it with 1 January of their plan year.
create function kc_caps_in_force(p_content text, p_on date) returns setof support_caps
language sql stable as $$
  select * from support_caps c
   where c.content_code = p_content and kc_valid_on(c.valid_from, c.valid_to, p_on)
   order by c.cap_code, c.valid_from
$$;

-- The whole catalogue as catalog.get returns it: each section an array
-- ordered by sort (or code), with every column of the row. p_on NULL: all
-- rows with their validity; else only the rows valid on that day.
create function kc_catalog_json(p_on date) returns json
language sql stable as $$
  select json_build_object(
    'funding_sources', coalesce((select json_agg(t order by t.sort, t.code) from funding_sources t
                                  where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'content_categories', coalesce((select json_agg(t order by t.sort, t.code) from content_categories t
                                     where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'sectors', coalesce((select json_agg(t order by t.sort, t.code) from sectors t
                          where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'priority_areas', coalesce((select json_agg(t order by t.rank, t.code) from priority_areas t
                                 where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'priority_sectors', coalesce((select json_agg(t order by t.sort, t.code) from priority_sectors t
                                   where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'indicators', coalesce((select json_agg(t order by t.code) from indicators t
                             where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'programme_periods', coalesce((select json_agg(t order by t.from_year, t.code) from programme_periods t
                                    where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'project_kinds', coalesce((select json_agg(t order by t.sort, t.code) from project_kinds t
                                where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'support_caps', coalesce((select json_agg(t order by t.cap_code, t.valid_from) from support_caps t
                               where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'calendar_rules', coalesce((select json_agg(t order by t.rule, t.year) from calendar_rules t
                                 where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'))
$$;
