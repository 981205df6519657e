package dev.aio4j.http.internal;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ContentDisposition}: aiohttp's {@code tests/test_multipart_helpers.py} (the tc2231 cases
 * of {@code TestParseContentDisposition} and {@code TestContentDispositionFilename}, each row named
 * after its aiohttp test), plus the form-data quoting aio4j writes. Rows aiohttp skips are left
 * out, except {@code test_attwithquotedsemicolon} (aio4j's parser joins every {@code ;} inside
 * quotes) and {@code test_attwithfn2231iso_bad} (aio4j decodes extended values strictly).
 */
class ContentDispositionTest {
    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("parseCases")
    void testParseContentDisposition(String aiohttpTest, String header, String type, Map<String, String> params) {
        ContentDisposition.Parsed p = ContentDisposition.parse(header);
        assertEquals(type, p.type(), aiohttpTest);
        assertEquals(params, p.params(), aiohttpTest);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("filenameCases")
    void testContentDispositionFilename(String aiohttpTest, Map<String, String> params, String name, String expected) {
        assertEquals(expected, ContentDisposition.param(params, name), aiohttpTest);
    }

    @Test
    void testFormDataParamUndoesTheBrowsersEscapes() { // aio4j-only: HTML standard, plain values only
        assertEquals("a \"q\"\r\n.txt", ContentDisposition.formDataParam("form-data; filename=\"a %22q%22%0D%0A.txt\"", "filename"));
        assertEquals("50%.html", ContentDisposition.formDataParam("form-data; filename=\"50%.html\"", "filename"));
        assertEquals("%22", ContentDisposition.formDataParam("form-data; filename*=UTF-8''%2522", "filename"));
        assertNull(ContentDisposition.formDataParam(null, "name"));
        assertNull(ContentDisposition.formDataParam("form-data; filename=\"bar", "filename"));
    }

    @Test
    void testContinuationsPastNine() { // aio4j-only: numeric order (aiohttp sorts the names as strings)
        Map<String, String> p = new LinkedHashMap<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 11; i >= 0; i--) {
            p.put("filename*" + i, "p" + i);
        }
        for (int i = 0; i <= 11; i++) {
            expected.append("p").append(i);
        }
        assertEquals(expected.toString(), ContentDisposition.param(p, "filename"));
    }

    @Test
    void testExtendedContinuationSplitInsideACharacter() { // aio4j-only: RFC 2231 splits octets, not characters
        assertEquals("\u00e4\u20ac.txt", ContentDisposition.param(
                params("filename*0*", "UTF-8''%c3", "filename*1*", "%a4%e2%82", "filename*2*", "%ac", "filename*3", ".txt"),
                "filename"));
    }

    @Test
    void testCheckFormValue() { // aiohttp: _safe_header, as FormData.add_field applies it
        for (String bad : new String[] {"\r", "\n", "a\ra\n", "a\u0000b", "a\u007fb", "a\u001bb"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ContentDisposition.checkFormValue(bad, "field name"));
            assertTrue(e.getMessage().startsWith("field name must not contain CR, LF or other control characters"), e.getMessage());
        }
        assertEquals("a\tb \u00e9\u65e5", ContentDisposition.checkFormValue("a\tb \u00e9\u65e5", "field name"));
        assertThrows(NullPointerException.class, () -> ContentDisposition.checkFormValue(null, "field name"));
    }

    /** What FormData writes, this parser reads back: any name without controls or a leading slash. */
    @Property(tries = 500)
    void writtenHeadersParseBack(@ForAll @StringLength(min = 0, max = 12)
                                 @CharRange(from = ' ', to = '~') @CharRange(from = '\u00a0', to = '\u0180')
                                 @CharRange(from = '\u65e5', to = '\u65e6') String raw) { // aio4j-only: header() against parse()
        String value = "v" + raw; // a file name loses a leading '/' or '\' on reading
        Map<String, String> params = new LinkedHashMap<>();
        params.put("name", value);
        params.put("filename", value);
        String attachment = ContentDisposition.header("attachment", params);
        ContentDisposition.Parsed parsed = ContentDisposition.parse(attachment);
        assertEquals("attachment", parsed.type(), attachment);
        assertEquals(value, ContentDisposition.param(parsed.params(), "name"), attachment);
        assertEquals(value, ContentDisposition.param(parsed.params(), "filename"), attachment);
        assertTrue(attachment.chars().allMatch(c -> c >= 0x20 && c < 0x7F), attachment);
        Assume.that(raw.indexOf('%') < 0); // form-data plain values read "%22" back as a quote, as browsers mean it
        String formData = ContentDisposition.header("form-data", params);
        assertEquals(value, ContentDisposition.formDataParam(formData, "name"), formData);
        assertEquals(value, ContentDisposition.formDataParam(formData, "filename"), formData);
    }

    @Test
    void headerRefusesWhatCannotBeWritten() { // aio4j-only
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> ContentDisposition.header("attach ment", Map.of()));
        assertEquals("Content-Disposition type must be a token (RFC 6266), such as attachment, inline or form-data, "
                + "got \"attach ment\"", type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContentDisposition.header("attachment", Map.of("file*", "x")));
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> ContentDisposition.header("attachment", Map.of("filename", "a\nb")));
        assertTrue(value.getMessage().startsWith("Content-Disposition parameter filename must not contain CR, LF"),
                value.getMessage());
        assertEquals("inline", ContentDisposition.header("inline", Map.of()));
    }

    @Property(tries = 500)
    void quotedFormValuesRoundTrip(@ForAll @StringLength(min = 1, max = 12)
                                   @CharRange(from = ' ', to = '~') @CharRange(from = '\u00a0', to = '\u0180') String raw) {
        Assume.that(raw.indexOf('%') < 0); // "%22", "%0D" and "%0A" read back as a quote, CR and LF, as browsers mean them
        String value = "v" + raw;
        String header = "form-data; name=\"" + ContentDisposition.quoteFormValue(value) + "\"; filename=\""
                + ContentDisposition.quoteFormValue(value) + "\"";
        assertEquals(value, ContentDisposition.formDataParam(header, "name"), header);
        assertEquals(value, ContentDisposition.formDataParam(header, "filename"), header);
    }

    static Stream<Arguments> parseCases() {
        return Stream.of(
                Arguments.of("test_parse_empty", null, null, params()),
                Arguments.of("test_inlonly", "inline", "inline", params()),
                Arguments.of("test_inlonlyquoted", "\"inline\"", null, params()),
                Arguments.of("test_semicolon", "form-data; name=\"data\"; filename=\"file ; name.mp4\"", "form-data", params("name", "data", "filename", "file ; name.mp4")),
                Arguments.of("test_ows_before_separator", "attachment; filename=\"test.txt\" ; name=\"field\"", "attachment", params("filename", "test.txt", "name", "field")),
                Arguments.of("test_inlwithasciifilename", "inline; filename=\"foo.html\"", "inline", params("filename", "foo.html")),
                Arguments.of("test_inlwithfnattach", "inline; filename=\"Not an attachment!\"", "inline", params("filename", "Not an attachment!")),
                Arguments.of("test_attonly", "attachment", "attachment", params()),
                Arguments.of("test_attonlyquoted", "\"attachment\"", null, params()),
                Arguments.of("test_attonlyucase", "ATTACHMENT", "attachment", params()),
                Arguments.of("test_attwithasciifilename", "attachment; filename=\"foo.html\"", "attachment", params("filename", "foo.html")),
                Arguments.of("test_inlwithasciifilenamepdf", "attachment; filename=\"foo.pdf\"", "attachment", params("filename", "foo.pdf")),
                Arguments.of("test_attwithasciifilename25", "attachment; filename=\"0000000000111111111122222\"", "attachment", params("filename", "0000000000111111111122222")),
                Arguments.of("test_attwithasciifilename35", "attachment; filename=\"00000000001111111111222222222233333\"", "attachment", params("filename", "00000000001111111111222222222233333")),
                Arguments.of("test_attwithasciifnescapedchar", "attachment; filename=\"f\\oo.html\"", "attachment", params("filename", "foo.html")),
                Arguments.of("test_attwithasciifnescapedquote", "attachment; filename=\"\"quoting\" tested.html\"", "attachment", params("filename", "\"quoting\" tested.html")),
                Arguments.of("test_attwithquotedsemicolon", "attachment; filename=\"Here's a semicolon;.html\"", "attachment", params("filename", "Here's a semicolon;.html")),
                Arguments.of("test_attwithfilenameandextparam", "attachment; foo=\"bar\"; filename=\"foo.html\"", "attachment", params("filename", "foo.html", "foo", "bar")),
                Arguments.of("test_attwithfilenameandextparamescaped", "attachment; foo=\"\"\\\";filename=\"foo.html\"", "attachment", params("filename", "foo.html", "foo", "\"\\")),
                Arguments.of("test_attwithasciifilenameucase", "attachment; FILENAME=\"foo.html\"", "attachment", params("filename", "foo.html")),
                Arguments.of("test_attwithasciifilenamenq", "attachment; filename=foo.html", "attachment", params("filename", "foo.html")),
                Arguments.of("test_attwithtokfncommanq", "attachment; filename=foo,bar.html", null, params()),
                Arguments.of("test_attwithasciifilenamenqs", "attachment; filename=foo.html ;", null, params()),
                Arguments.of("test_attemptyparam", "attachment; ;filename=foo", null, params()),
                Arguments.of("test_attwithasciifilenamenqws", "attachment; filename=foo bar.html", null, params()),
                Arguments.of("test_attwithfntokensq", "attachment; filename='foo.html'", "attachment", params("filename", "'foo.html'")),
                Arguments.of("test_attwithisofnplain", "attachment; filename=\"foo-\u00e4.html\"", "attachment", params("filename", "foo-\u00e4.html")),
                Arguments.of("test_attwithutf8fnplain", "attachment; filename=\"foo-\u00c3\u00a4.html\"", "attachment", params("filename", "foo-\u00c3\u00a4.html")),
                Arguments.of("test_attwithfnrawpctenca", "attachment; filename=\"foo-%41.html\"", "attachment", params("filename", "foo-%41.html")),
                Arguments.of("test_attwithfnusingpct", "attachment; filename=\"50%.html\"", "attachment", params("filename", "50%.html")),
                Arguments.of("test_attwithfnrawpctencaq", "attachment; filename=\"foo-%\\41.html\"", "attachment", params("filename", "foo-%41.html")),
                Arguments.of("test_attwithnamepct", "attachment; filename=\"foo-%41.html\"", "attachment", params("filename", "foo-%41.html")),
                Arguments.of("test_attwithfilenamepctandiso", "attachment; filename=\"\u00e4-%41.html\"", "attachment", params("filename", "\u00e4-%41.html")),
                Arguments.of("test_attwithfnrawpctenclong", "attachment; filename=\"foo-%c3%a4-%e2%82%ac.html\"", "attachment", params("filename", "foo-%c3%a4-%e2%82%ac.html")),
                Arguments.of("test_attwithasciifilenamews1", "attachment; filename =\"foo.html\"", "attachment", params("filename", "foo.html")),
                Arguments.of("test_attwith2filenames", "attachment; filename=\"foo.html\"; filename=\"bar.html\"", null, params()),
                Arguments.of("test_attfnbrokentoken", "attachment; filename=foo[1](2).html", null, params()),
                Arguments.of("test_attfnbrokentokeniso", "attachment; filename=foo-\u00e4.html", null, params()),
                Arguments.of("test_attfnbrokentokenutf", "attachment; filename=foo-\u00c3\u00a4.html", null, params()),
                Arguments.of("test_attmissingdisposition", "filename=foo.html", null, params()),
                Arguments.of("test_attmissingdisposition2", "x=y; filename=foo.html", null, params()),
                Arguments.of("test_attmissingdisposition3", "\"foo; filename=bar;baz\"; filename=qux", null, params()),
                Arguments.of("test_attmissingdisposition4", "filename=foo.html, filename=bar.html", null, params()),
                Arguments.of("test_emptydisposition", "; filename=foo.html", null, params()),
                Arguments.of("test_doublecolon", ": inline; attachment; filename=foo.html", null, params()),
                Arguments.of("test_attandinline", "inline; attachment; filename=foo.html", null, params()),
                Arguments.of("test_attandinline2", "attachment; inline; filename=foo.html", null, params()),
                Arguments.of("test_attbrokenquotedfn", "attachment; filename=\"foo.html\".txt", null, params()),
                Arguments.of("test_attbrokenquotedfn2", "attachment; filename=\"bar", null, params()),
                Arguments.of("test_attbrokenquotedfn3", "attachment; filename=foo\"bar;baz\"qux", null, params()),
                Arguments.of("test_attmultinstances", "attachment; filename=foo.html, attachment; filename=bar.html", null, params()),
                Arguments.of("test_attmissingdelim", "attachment; foo=foo filename=bar", null, params()),
                Arguments.of("test_attmissingdelim2", "attachment; filename=bar foo=foo", null, params()),
                Arguments.of("test_attmissingdelim3", "attachment filename=bar", null, params()),
                Arguments.of("test_attreversed", "filename=foo.html; attachment", null, params()),
                Arguments.of("test_attconfusedparam", "attachment; xfilename=foo.html", "attachment", params("xfilename", "foo.html")),
                Arguments.of("test_attabspath", "attachment; filename=\"/foo.html\"", "attachment", params("filename", "foo.html")),
                Arguments.of("test_attabspathwin", "attachment; filename=\"\\foo.html\"", "attachment", params("filename", "foo.html")),
                Arguments.of("test_attcdate", "attachment; creation-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"", "attachment", params("creation-date", "Wed, 12 Feb 1997 16:29:51 -0500")),
                Arguments.of("test_attmdate", "attachment; modification-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"", "attachment", params("modification-date", "Wed, 12 Feb 1997 16:29:51 -0500")),
                Arguments.of("test_dispext", "foobar", "foobar", params()),
                Arguments.of("test_dispextbadfn", "attachment; example=\"filename=example.txt\"", "attachment", params("example", "filename=example.txt")),
                Arguments.of("test_attwithisofn2231iso", "attachment; filename*=iso-8859-1''foo-%E4.html", "attachment", params("filename*", "foo-\u00e4.html")),
                Arguments.of("test_attwithfn2231utf8", "attachment; filename*=UTF-8''foo-%c3%a4-%e2%82%ac.html", "attachment", params("filename*", "foo-\u00e4-\u20ac.html")),
                Arguments.of("test_attwithfn2231noc", "attachment; filename*=''foo-%c3%a4-%e2%82%ac.html", "attachment", params("filename*", "foo-\u00e4-\u20ac.html")),
                Arguments.of("test_attwithfn2231utf8comp", "attachment; filename*=UTF-8''foo-a%cc%88.html", "attachment", params("filename*", "foo-a\u0308.html")),
                Arguments.of("test_attwithfn2231iso_bad", "attachment; filename*=utf-8''foo-%E4.html", "attachment", params()),
                Arguments.of("test_attwithfn2231ws1", "attachment; filename *=UTF-8''foo-%c3%a4.html", "attachment", params()),
                Arguments.of("test_attwithfn2231ws2", "attachment; filename*= UTF-8''foo-%c3%a4.html", "attachment", params("filename*", "foo-\u00e4.html")),
                Arguments.of("test_attwithfn2231ws3", "attachment; filename* =UTF-8''foo-%c3%a4.html", "attachment", params("filename*", "foo-\u00e4.html")),
                Arguments.of("test_attwithfn2231quot", "attachment; filename*=\"UTF-8''foo-%c3%a4.html\"", "attachment", params()),
                Arguments.of("test_attwithfn2231quot2", "attachment; filename*=\"foo%20bar.html\"", "attachment", params()),
                Arguments.of("test_attwithfn2231singleqmissing", "attachment; filename*=UTF-8'foo-%c3%a4.html", "attachment", params()),
                Arguments.of("test_attwithfn2231baddecode", "attachment; filename*=unknown-8bit''foo-%c3%a4.html", "attachment", params()),
                Arguments.of("test_attwithfn2231baddecode", "attachment; filename*=UTF-8''%ff.html", "attachment", params()),
                Arguments.of("test_attwithfn2231dpct", "attachment; filename*=UTF-8''A-%2541.html", "attachment", params("filename*", "A-%41.html")),
                Arguments.of("test_attwithfn2231abspathdisguised", "attachment; filename*=UTF-8''%5cfoo.html", "attachment", params("filename*", "foo.html")),
                Arguments.of("test_attwithfn2231abspath", "attachment; filename*=UTF-8''%2Ffoo.html", "attachment", params("filename*", "foo.html")),
                Arguments.of("test_attfncontabspath", "attachment; filename*0=\"/foo.\"; filename*1=\"html\"", "attachment", params("filename*0", "/foo.", "filename*1", "html")),
                Arguments.of("test_attfncont", "attachment; filename*0=\"foo.\"; filename*1=\"html\"", "attachment", params("filename*0", "foo.", "filename*1", "html")),
                Arguments.of("test_attfncontqs", "attachment; filename*0=\"foo\"; filename*1=\"\\b\\a\\r.html\"", "attachment", params("filename*0", "foo", "filename*1", "bar.html")),
                Arguments.of("test_attfncontenc", "attachment; filename*0*=UTF-8foo-%c3%a4; filename*1=\".html\"", "attachment", params("filename*0*", "UTF-8foo-%c3%a4", "filename*1", ".html")),
                Arguments.of("test_attfncontlz", "attachment; filename*0=\"foo\"; filename*01=\"bar\"", "attachment", params("filename*0", "foo", "filename*01", "bar")),
                Arguments.of("test_attfncontnc", "attachment; filename*0=\"foo\"; filename*2=\"bar\"", "attachment", params("filename*0", "foo", "filename*2", "bar")),
                Arguments.of("test_attfnconts1", "attachment; filename*0=\"foo.\"; filename*2=\"html\"", "attachment", params("filename*0", "foo.", "filename*2", "html")),
                Arguments.of("test_attfncontord", "attachment; filename*1=\"bar\"; filename*0=\"foo\"", "attachment", params("filename*0", "foo", "filename*1", "bar")),
                Arguments.of("test_attfnboth", "attachment; filename=\"foo-ae.html\"; filename*=UTF-8''foo-%c3%a4.html", "attachment", params("filename", "foo-ae.html", "filename*", "foo-\u00e4.html")),
                Arguments.of("test_attfnboth2", "attachment; filename*=UTF-8''foo-%c3%a4.html; filename=\"foo-ae.html\"", "attachment", params("filename", "foo-ae.html", "filename*", "foo-\u00e4.html")),
                Arguments.of("test_attfnboth3", "attachment; filename*0*=ISO-8859-15''euro-sign%3d%a4; filename*=ISO-8859-1''currency-sign%3d%a4", "attachment", params("filename*", "currency-sign=\u00a4", "filename*0*", "ISO-8859-15''euro-sign%3d%a4")),
                Arguments.of("test_attnewandfn", "attachment; foobar=x; filename=\"foo.html\"", "attachment", params("foobar", "x", "filename", "foo.html")),
                Arguments.of("test_attrfc2047token", "attachment; filename==?ISO-8859-1?Q?foo-=E4.html?=", null, params()),
                Arguments.of("test_attrfc2047quoted", "attachment; filename=\"=?ISO-8859-1?Q?foo-=E4.html?=\"", "attachment", params("filename", "=?ISO-8859-1?Q?foo-=E4.html?=")),
                Arguments.of("test_bad_continuous_param", "attachment; filename*0=foo bar", "attachment", params()),
                Arguments.of("test_empty_param_value_no_crash", "attachment; filename=", null, params()),
                Arguments.of("test_empty_param_value_multiple", "attachment; name=foo; filename=", null, params()),
                Arguments.of("test_disptype_with_trailing_space_before_semicolon", "form-data ; name=\"field\"", "form-data", params("name", "field")),
                Arguments.of("test_disptype_with_trailing_space_no_params", "inline ", "inline", params()));
    }

    static Stream<Arguments> filenameCases() {
        return Stream.of(
                Arguments.of("test_no_filename", params(), "filename", null),
                Arguments.of("test_no_filename", params("foo", "bar"), "filename", null),
                Arguments.of("test_filename", params("filename", "foo.html"), "filename", "foo.html"),
                Arguments.of("test_filename_ext", params("filename*", "\u0444\u0430\u0439\u043b.html"), "filename", "\u0444\u0430\u0439\u043b.html"),
                Arguments.of("test_filename_ext_abspath", ContentDisposition.parse("form-data; name=\"f\"; filename=\"/etc/evil\"; filename*=UTF-8''%2Fetc%2Fevil").params(), "filename", "etc/evil"),
                Arguments.of("test_attfncont", params("filename*0", "foo.", "filename*1", "html"), "filename", "foo.html"),
                Arguments.of("test_attfncontabspath", ContentDisposition.parse("attachment; filename*0=\"/foo.\"; filename*1=\"html\"").params(), "filename", "foo.html"),
                Arguments.of("test_attfncontinnerpath", ContentDisposition.parse("attachment; filename*0=\"dir\"; filename*1=\"/foo.html\"").params(), "filename", "dir/foo.html"),
                Arguments.of("test_attfncontqs", params("filename*0", "foo", "filename*1", "bar.html"), "filename", "foobar.html"),
                Arguments.of("test_attfncontenc", params("filename*0*", "UTF-8''foo-%c3%a4", "filename*1", ".html"), "filename", "foo-\u00e4.html"),
                Arguments.of("test_attfncontencabspath", params("filename*0*", "UTF-8''%2Ffoo-%c3%a4", "filename*1", ".html"), "filename", "foo-\u00e4.html"),
                Arguments.of("test_attfncontencabspath", params("filename*0*", "UTF-8''%5cfoo-%c3%a4", "filename*1", ".html"), "filename", "foo-\u00e4.html"),
                Arguments.of("test_attfncontenc_baddecode", params("filename*0*", "unknown-8bit''foo-%c3%a4", "filename*1", ".html"), "filename", null),
                Arguments.of("test_attfncontenc_baddecode", params("filename*0*", "UTF-8''%ff", "filename*1", ".html"), "filename", null),
                Arguments.of("test_attfncontlz", params("filename*0", "foo", "filename*01", "bar"), "filename", "foo"),
                Arguments.of("test_attfncontnc", params("filename*0", "foo", "filename*2", "bar"), "filename", "foo"),
                Arguments.of("test_attfnconts1", params("filename*1", "foo", "filename*2", "bar"), "filename", null),
                Arguments.of("test_attfnboth", params("filename", "foo-ae.html", "filename*", "foo-\u00e4.html"), "filename", "foo-\u00e4.html"),
                Arguments.of("test_attfnboth3", params("filename*0*", "ISO-8859-15''euro-sign%3d%a4", "filename*", "currency-sign=\u00a4"), "filename", "currency-sign=\u00a4"),
                Arguments.of("test_attrfc2047quoted", params("filename", "=?ISO-8859-1?Q?foo-=E4.html?="), "filename", "=?ISO-8859-1?Q?foo-=E4.html?="));
    }

    /**
     * aiohttp's {@code pytest.warns(aiohttp.BadContentDispositionHeader)} cases: the header is
     * ignored and one problem says why (the reader logs it; see MultipartTest).
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badHeaderCases")
    void testBadContentDispositionHeaderIsTold(String aiohttpTest, String header) {
        List<String> problems = new ArrayList<>();
        assertEquals(ContentDisposition.INVALID, ContentDisposition.parse(header, problems::add), aiohttpTest);
        assertEquals(1, problems.size(), aiohttpTest + ": " + problems);
        assertTrue(problems.get(0).startsWith("BadContentDispositionHeader: "), problems.get(0));
        assertTrue(problems.get(0).endsWith("; the header is ignored"), problems.get(0));
    }

    /** aiohttp's {@code pytest.warns(aiohttp.BadContentDispositionParam)} cases: the parameter is left out, and said so. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badParamCases")
    void testBadContentDispositionParamIsTold(String aiohttpTest, String header, String item) {
        List<String> problems = new ArrayList<>();
        ContentDisposition.Parsed p = ContentDisposition.parse(header, problems::add);
        assertEquals("attachment", p.type(), aiohttpTest);
        assertEquals(Map.of(), p.params(), aiohttpTest);
        assertEquals(1, problems.size(), aiohttpTest + ": " + problems);
        assertTrue(problems.get(0).startsWith("BadContentDispositionParam: \"" + item + "\" is left out: "), problems.get(0));
    }

    @Test
    void wellFormedHeadersTellNothing() { // aio4j-only: the rows of parseCases that keep every parameter
        for (String header : new String[] {"inline", "form-data; name=\"data\"; filename=\"file ; name.mp4\"",
                "attachment; filename*=UTF-8''foo-%c3%a4.html", "attachment; filename*0=\"foo.\"; filename*1=\"html\"", null, ""}) {
            List<String> problems = new ArrayList<>();
            ContentDisposition.parse(header, problems::add);
            assertEquals(List.of(), problems, header);
        }
    }

    @Test
    void badHeaderProblemNamesWhatWasWrong() { // aio4j-only: the sentences the log carries
        List<String> problems = new ArrayList<>();
        ContentDisposition.parse("attachment; filename=\"foo.html\"; filename=\"bar.html\"", problems::add);
        ContentDisposition.parse("\"inline\"", problems::add);
        ContentDisposition.parse("attachment; filename=foo bar.html", problems::add);
        ContentDisposition.parse("attachment filename=bar", problems::add);
        assertEquals(List.of(
                "BadContentDispositionHeader: the parameter filename appears twice; the header is ignored",
                "BadContentDispositionHeader: the disposition type \"\\\"inline\\\"\" is not a token; the header is ignored",
                "BadContentDispositionHeader: the value of filename is neither a token nor a quoted string: \"foo bar.html\"; the header is ignored",
                "BadContentDispositionHeader: the disposition type \"attachment filename=bar\" is not a token; the header is ignored"),
                problems);
    }

    static Stream<Arguments> badHeaderCases() {
        return Stream.of(
                Arguments.of("test_inlonlyquoted", "\"inline\""),
                Arguments.of("test_attonlyquoted", "\"attachment\""),
                Arguments.of("test_attwithtokfncommanq", "attachment; filename=foo,bar.html"),
                Arguments.of("test_attwithasciifilenamenqs", "attachment; filename=foo.html ;"),
                Arguments.of("test_attemptyparam", "attachment; ;filename=foo"),
                Arguments.of("test_attwithasciifilenamenqws", "attachment; filename=foo bar.html"),
                Arguments.of("test_attwith2filenames", "attachment; filename=\"foo.html\"; filename=\"bar.html\""),
                Arguments.of("test_attfnbrokentoken", "attachment; filename=foo[1](2).html"),
                Arguments.of("test_attfnbrokentokeniso", "attachment; filename=foo-\u00e4.html"),
                Arguments.of("test_attfnbrokentokenutf", "attachment; filename=foo-\u00c3\u00a4.html"),
                Arguments.of("test_attmissingdisposition", "filename=foo.html"),
                Arguments.of("test_attmissingdisposition2", "x=y; filename=foo.html"),
                Arguments.of("test_attmissingdisposition3", "\"foo; filename=bar;baz\"; filename=qux"),
                Arguments.of("test_attmissingdisposition4", "filename=foo.html, filename=bar.html"),
                Arguments.of("test_emptydisposition", "; filename=foo.html"),
                Arguments.of("test_doublecolon", ": inline; attachment; filename=foo.html"),
                Arguments.of("test_attandinline", "inline; attachment; filename=foo.html"),
                Arguments.of("test_attandinline2", "attachment; inline; filename=foo.html"),
                Arguments.of("test_attbrokenquotedfn", "attachment; filename=\"foo.html\".txt"),
                Arguments.of("test_attbrokenquotedfn2", "attachment; filename=\"bar"),
                Arguments.of("test_attbrokenquotedfn3", "attachment; filename=foo\"bar;baz\"qux"),
                Arguments.of("test_attmultinstances", "attachment; filename=foo.html, attachment; filename=bar.html"),
                Arguments.of("test_attmissingdelim", "attachment; foo=foo filename=bar"),
                Arguments.of("test_attmissingdelim2", "attachment; filename=bar foo=foo"),
                Arguments.of("test_attmissingdelim3", "attachment filename=bar"),
                Arguments.of("test_attreversed", "filename=foo.html; attachment"),
                Arguments.of("test_attrfc2047token", "attachment; filename==?ISO-8859-1?Q?foo-=E4.html?="));
    }

    static Stream<Arguments> badParamCases() {
        return Stream.of(
                Arguments.of("test_attwithfn2231ws1", "attachment; filename *=UTF-8''foo-%c3%a4.html", "filename *=UTF-8''foo-%c3%a4.html"),
                Arguments.of("test_attwithfn2231quot", "attachment; filename*=\"UTF-8''foo-%c3%a4.html\"", "filename*=\\\"UTF-8''foo-%c3%a4.html\\\""),
                Arguments.of("test_attwithfn2231quot2", "attachment; filename*=\"foo%20bar.html\"", "filename*=\\\"foo%20bar.html\\\""),
                Arguments.of("test_attwithfn2231singleqmissing", "attachment; filename*=UTF-8'foo-%c3%a4.html", "filename*=UTF-8'foo-%c3%a4.html"),
                Arguments.of("test_bad_continuous_param", "attachment; filename*0=foo bar", "filename*0=foo bar"),
                // skipped in aiohttp (it decodes leniently); aio4j decodes strictly and tells it
                Arguments.of("test_attwithfn2231iso_bad", "attachment; filename*=utf-8''foo-%E4.html", "filename*=utf-8''foo-%E4.html"),
                Arguments.of("test_attwithfn2231baddecode", "attachment; filename*=unknown-8bit''foo-%c3%a4.html", "filename*=unknown-8bit''foo-%c3%a4.html"));
    }
}
