#!/usr/bin/env python3
"""Writes the hand-made workbooks the Workbook tests read, with Python's zipfile and zlib (an independent
DEFLATE): parts shaped as Excel writes them, and as the OpenXML SDK does (namespace prefixes, no cell
references, the 1904 date system, Strict relationship types, absolute targets).

libreoffice.xlsx is LibreOffice's own: soffice --headless --convert-to xlsx libreoffice.fods
Run from this folder: python3 make-fixtures.py
"""
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'

CONTENT_TYPES = DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '</Types>')


def excel_style():
    workbook = DECL + (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><fileVersion appName="xl"/><workbookPr defaultThemeVersion="164011"/>'
        '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300" activeTab="1"/></bookViews>'
        '<sheets><sheet name="说明" sheetId="3" state="hidden" r:id="rId3"/><sheet name="相机" sheetId="1" r:id="rId1"/>'
        '<sheet name="图表" sheetId="4" r:id="rId4"/><sheet name="Villages" sheetId="2" r:id="rId2"/></sheets>'
        '<calcPr calcId="162913"/></workbook>')
    rels = DECL + (
        f'<Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/worksheet" Target="worksheets/sheet3.xml"/>'
        f'<Relationship Id="rId4" Type="{REL}/chartsheet" Target="chartsheets/sheet1.xml"/>'
        f'<Relationship Id="rId5" Type="{REL}/theme" Target="theme/theme1.xml"/>'
        f'<Relationship Id="rId6" Type="{REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId7" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId8" Type="{REL}/hyperlink" Target="http://example.invalid/" TargetMode="External"/>'
        '</Relationships>')
    strings = ["设备编码", "点位名称", "安装日期", "授权截止", "纬度", "视野合规", "备注",
               "45012801001320000051", None, "第一行_x000D_\n第二行", "a_x005F_x0041_b", "   前后空格   ", "说明文字"]
    items = []
    for text in strings:
        if text is None:
            # Rich text in runs, with a phonetic run that is not part of the value.
            items.append('<si><r><rPr><b/><sz val="11"/></rPr><t>东门</t></r><r><t xml:space="preserve"> 入口</t></r>'
                         '<rPh sb="0" eb="2"><t>ドンメン</t></rPh><phoneticPr fontId="1"/></si>')
        else:
            items.append(f'<si><t xml:space="preserve">{text.replace("&", "&amp;").replace("<", "&lt;")}</t></si>')
    shared = DECL + f'<sst xmlns="{MAIN}" count="{len(items)}" uniqueCount="{len(items)}">' + "".join(items) + '</sst>'
    styles = DECL + (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="176" formatCode="[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"/>'
        '<numFmt numFmtId="177" formatCode="0.000000_);[Red]\\(0.000000\\)"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="177" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    sheet1 = DECL + (
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<dimension ref="A1:G6"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="14.25" x14ac:dyDescent="0.2" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"/>'
        '<sheetData>'
        '<row r="1" spans="1:7"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
        '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c></row>'
        '<row r="2" spans="1:7"><c r="A2" s="5" t="s"><v>7</v></c><c r="B2" t="s"><v>8</v></c><c r="C2" s="1"><v>45413</v></c>'
        '<c r="D2" s="2"><v>46387.75</v></c><c r="E2" s="4"><v>22.815000000000001</v></c><c r="F2" t="b"><v>1</v></c>'
        '<c r="G2" t="s"><v>9</v></c></row>'
        '<row r="4" spans="1:7"><c r="A4"><v>4.5012801001320001E+19</v></c><c r="B4" t="str"><f>CONCATENATE("北","门")</f><v>北门</v></c>'
        '<c r="C4" s="3"><v>45658</v></c><c r="D4" t="e"><f>VLOOKUP(A4,Sheet2!A:B,2,0)</f><v>#N/A</v></c>'
        '<c r="E4"><f>1/3</f><v>0.33333333333333331</v></c><c r="F4" t="b"><v>0</v></c><c r="G4" t="s"><v>10</v></c></row>'
        '<row r="5"><c r="A5" s="5"/><c r="B5"><f>SUM(1,2)</f></c><c r="C5" t="inlineStr"><is><t>内联</t></is></c>'
        '<c r="G5" t="s"><v>11</v></c></row>'
        '<row r="6"/>'
        '</sheetData><mergeCells count="1"><mergeCell ref="E5:F5"/></mergeCells>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    sheet2 = DECL + (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
        '<row r="2"><c r="A2"><v>450128101201</v></c><c r="B2" t="inlineStr"><is><r><t>青</t></r><r><t>山村</t></r></is></c></row>'
        '</sheetData></worksheet>')
    sheet3 = DECL + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>12</v></c></row></sheetData></worksheet>'
    with zipfile.ZipFile("excel-style.xlsx", "w") as archive:
        def add(name, text, method=zipfile.ZIP_DEFLATED, level=6):
            archive.writestr(zipfile.ZipInfo(name, (2024, 5, 1, 12, 0, 0)), text.encode("utf-8"), compress_type=method, compresslevel=level)
        add("[Content_Types].xml", CONTENT_TYPES)
        add("_rels/.rels", DECL + f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        add("xl/workbook.xml", workbook, level=9)
        add("xl/_rels/workbook.xml.rels", rels, level=1)
        add("xl/styles.xml", styles, method=zipfile.ZIP_STORED)
        add("xl/sharedStrings.xml", shared, level=0)  # zlib's stored blocks inside a deflated entry
        add("xl/worksheets/sheet1.xml", sheet1)
        add("xl/worksheets/sheet2.xml", sheet2)
        add("xl/worksheets/sheet3.xml", sheet3)
        add("xl/chartsheets/sheet1.xml", DECL + f'<chartsheet xmlns="{MAIN}"/>')


def prefixed_1904():
    strict = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    workbook = DECL + (
        f'<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}"><x:workbookPr date1904="1"/>'
        '<x:sheets><x:sheet name="Sheet1" sheetId="1" r:id="R1a2b"/></x:sheets></x:workbook>')
    rels = DECL + (f'<Relationships xmlns="{PKG}"><Relationship Type="{strict}/worksheet" Target="/xl/worksheets/sheet1.xml" Id="R1a2b"/>'
                   f'<Relationship Type="{strict}/styles" Target="/xl/styles.xml" Id="R9"/></Relationships>')
    styles = DECL + (f'<x:styleSheet xmlns:x="{MAIN}"><x:cellXfs><x:xf numFmtId="0"/><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>')
    sheet = DECL + (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>id</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>installed</x:t></x:is></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>A&amp;B &lt;1&gt; &#x4E1C;</x:t></x:is></x:c><x:c s="1"><x:v>43951</x:v></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t><![CDATA[<raw & text>]]></x:t></x:is></x:c><x:c t="d"><x:v>2024-05-01T00:00:00</x:v></x:c></x:row>'
        '</x:sheetData></x:worksheet>')
    with zipfile.ZipFile("prefixed-1904.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", DECL + f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{strict}/officeDocument" Target="/xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/styles.xml", styles)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)


if __name__ == "__main__":
    excel_style()
    prefixed_1904()
