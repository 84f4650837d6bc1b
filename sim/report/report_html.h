/*
 * report_html.h - the pieces of the one self-contained HTML page that
 * `nfrace report` writes: escaping for HTML text and for JSON inside a
 * <script> element, and the page's fixed head (CSS) and tail (JavaScript).
 * No network: everything the page needs is inline.
 */
#ifndef NFRACE_REPORT_HTML_H
#define NFRACE_REPORT_HTML_H

#include <stdio.h>

/* html_text - write s with &, <, >, " escaped (for element text and attribute values). */
void html_text(FILE *f, const char *s);

/* html_json_string - write s as a JSON string literal ("..." with \", \\ and
 * control characters escaped). */
void html_json_string(FILE *f, const char *s);

/* html_script_json - write the JSON text json so that it can sit inside a
 * <script type="application/json"> element: <, >, & and U+2028/U+2029 become
 * \uXXXX escapes.  Valid because in JSON those characters occur only inside
 * strings, where the escape means the same character; so "</script>" in any
 * name can never close the element. */
void html_script_json(FILE *f, const char *json);

/* html_page_head - <!DOCTYPE html> up to and including <body>, with the CSS. */
void html_page_head(FILE *f, const char *title);

/* html_viewer - the (empty) witness timeline the script fills in. */
void html_viewer(FILE *f);

/* html_page_tail - the script of the timeline viewer and </body></html>.
 * It reads its data from the element with id "nfrace-data", which the
 * caller writes before calling this. */
void html_page_tail(FILE *f);

#endif /* NFRACE_REPORT_HTML_H */
