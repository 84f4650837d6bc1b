/*
 * report_html.c - escaping and the fixed parts of the `nfrace report` page
 * (see report_html.h).  The script is plain ES5 with no library: it reads the
 * embedded JSON, builds the lanes of the chosen witness, and shows one step
 * at a time (buttons, arrow keys, clicks on a row, or the URL fragment
 * #step=SCENARIO/KERNEL/N, optionally followed by &do=npnrl: click next/prev,
 * press right/left, so a headless browser can drive it without a driver; a
 * fragment that names a witness, such as a drop cell's link, also scrolls the
 * viewer into sight).  Without a fragment it opens on data.open.  The steps
 * shown are recorded in the viewer's data-nav attribute (for the tests).
 * What changed from the previous step (a counter, a bucket, a conntrack, a
 * CPU's skb_ct) is highlighted.
 */
#include "report_html.h"

#include <string.h>

void html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

void html_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void html_script_json(FILE *f, const char *json)
{
	for (const unsigned char *p = (const unsigned char *)json; *p; p++) {
		if (*p == '<' || *p == '>' || *p == '&')
			fprintf(f, "\\u%04x", *p);
		else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			fprintf(f, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 2;
		} else
			fputc(*p, f);
	}
}

static const char css[] =
	"body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:110em}\n"
	".matrix{font-size:.85em}.matrix td,.matrix th{padding:.15em .35em}.matrix td{white-space:normal}\n"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
	"table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
	"td.drop{background:#f8d0d0}td.ok{background:#d4efd4}td.incomplete,td.BUG{background:#f4e3b0}\n"
	"td.lost{background:#fbe2c4}td.na{color:#888}\n"
	"td.drop a{color:#900;font-weight:bold}\n"
	"code,.mono{font-family:ui-monospace,monospace;font-size:.9em}\n"
	"#controls{margin:.6em 0}#controls button{font-size:1em;padding:.2em .8em}\n"
	"#current{background:#fffbe0;border:1px solid #e0d080;padding:.5em;margin:.5em 0}\n"
	".cols{display:flex;gap:1em;align-items:flex-start}\n"
	"#lanes-wrap{flex:3;max-height:36em;overflow:auto;border:1px solid #ccc;position:relative}\n"
	"#state{flex:2}\n"
	"#lanes{width:100%;table-layout:fixed}#lanes th{position:sticky;top:0;background:#eee}\n"
	"#lanes th:first-child{width:3em}\n"
	"#lanes td{font-family:ui-monospace,monospace;font-size:.8em;cursor:pointer;overflow-wrap:anywhere}\n"
	"#lanes tr.current td{background:#fff2a8}#lanes tr.current td.active{outline:2px solid #c90}\n"
	"#lanes td.active{background:#eef4ff}#lanes tr.current td.active{background:#ffe066}\n"
	"#lanes .note{color:#555}\n"
	".bit{display:inline-block;border-radius:3px;padding:0 .3em;margin:0 .15em;font-size:.8em;background:#ddd}\n"
	".bit-CONFIRMED{background:#bfe3bf}.bit-DYING{background:#f2a0a0}.bit-NAT_CLASH{background:#f6c26b}\n"
	".bit-SRC_NAT,.bit-DST_NAT,.bit-SRC_NAT_DONE,.bit-DST_NAT_DONE{background:#c8d8f4}\n"
	".changed{background:#ffe066}\n"
	".bucket{border:1px solid #bbb;margin:.3em 0;padding:.2em .4em}\n"
	".plot svg{max-width:100%;height:auto}\n";

void html_page_head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
	html_text(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

void html_viewer(FILE *f)
{
	fputs("<div id=\"viewer\">\n"
	      "<p>witness: <select id=\"witness-select\"></select></p>\n"
	      "<div id=\"whead\"></div>\n"
	      "<div id=\"controls\"><button id=\"prev\" type=\"button\">&#9664; previous</button>\n"
	      " step <b id=\"cur-step\">-</b> of 0 to <span id=\"step-last\">-</span>\n"
	      " <button id=\"next\" type=\"button\">next &#9654;</button>\n"
	      " <span class=\"note\">(keys: &larr; &rarr;)</span></div>\n"
	      "<div id=\"current\"><b id=\"cur-cpu\">-</b>: <code id=\"cur-fn\">-</code> "
	      "<span id=\"cur-where\">(<a id=\"cur-src\" href=\"#\"></a>)</span> &mdash; "
	      "<span id=\"cur-action\"></span><ul id=\"cur-notes\"></ul></div>\n"
	      "<div class=\"cols\"><div id=\"lanes-wrap\"><table id=\"lanes\"></table></div>\n"
	      "<div id=\"state\">\n<h3>counters (conntrack -S, summed)</h3><table id=\"counters\"></table>\n"
	      "<h3>conntrack table (nf_conntrack_hash)</h3><div id=\"table-state\"></div>\n"
	      "<h3>per-CPU skb_ct</h3><table id=\"skb-ct\"></table>\n"
	      "<h3>conntrack objects</h3><table id=\"conntracks\"></table>\n"
	      "<h3>NAT port draws</h3><p id=\"ports\"></p>\n"
	      "<h3>packets</h3><table id=\"fate\"></table>\n"
	      "</div></div>\n</div>\n",
	      f);
}

static const char script[] =
	"(function(){\"use strict\";\n"
	"var data=JSON.parse(document.getElementById(\"nfrace-data\").textContent);\n"
	"var cur={id:null,step:0,rows:[]};\n"
	"function $(i){return document.getElementById(i);}\n"
	"function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;if(x!==undefined)e.textContent=x;return e;}\n"
	"function clear(e){while(e.firstChild)e.removeChild(e.firstChild);}\n"
	"function row(tab,cells,head){var r=el(\"tr\");cells.forEach(function(c){var d=el(head?\"th\":\"td\");"
	"if(c&&c.nodeType)d.appendChild(c);else d.textContent=String(c);r.appendChild(d);});tab.appendChild(r);return r;}\n"
	"function bits(list){var s=el(\"span\");list.forEach(function(b){s.appendChild(el(\"span\",\"bit bit-\"+b,b));});"
	"if(!list.length)s.appendChild(el(\"span\",\"bit\",\"no bits\"));return s;}\n"
	"function build(id){var w=data.witnesses[id];cur.id=id;cur.rows=[];$(\"witness-select\").value=id;\n"
	" var h=$(\"whead\");clear(h);h.appendChild(el(\"p\",null,w.scenario+\" under \"+w.kernel+\": \"+w.outcome+"
	"\" (counters: \"+w.counters+\"; \"+w.preemptions+\" preemption(s); steps 0 to \"+(w.steps.length-1)+\" as nfrace replay numbers them: \"+w.lanes.length+\" CPU starts, then the \"+(w.steps.length-w.lanes.length)+\" scheduled steps nfrace run counts)\"));\n"
	" h.appendChild(el(\"p\",\"mono\",w.replay));\n"
	" var t=$(\"lanes\");clear(t);row(t,[\"step\"].concat(w.lanes),true);\n"
	" w.steps.forEach(function(s,i){var cells=[String(i)];for(var l=0;l<w.lanes.length;l++){if(l!==s.lane){cells.push(\"\");continue;}"
	"var d=el(\"div\");d.appendChild(el(\"div\",null,s.fn+(s.action?\": \"+s.action:\"\")));"
	"s.notes.forEach(function(n){d.appendChild(el(\"div\",\"note\",\"-> \"+n));});cells.push(d);}\n"
	"  var r=row(t,cells,false);r.children[s.lane+1].className=\"active\";r.setAttribute(\"data-step\",String(i));"
	"r.addEventListener(\"click\",function(){go(i);});cur.rows.push(r);});\n"
	" $(\"step-last\").textContent=String(w.steps.length-1);}\n"
	"function keyed(list,key){var m={};list.forEach(function(x){m[x[key]]=JSON.stringify(x);});return m;}\n"
	"function showState(st,prev){var c=$(\"counters\");clear(c);row(c,[\"counter\",\"value\"],true);\n"
	" Object.keys(st.counters).forEach(function(k){var r=row(c,[k,st.counters[k]]);"
	"if(prev&&prev.counters[k]!==st.counters[k])r.className=\"changed\";});\n"
	" var ts=$(\"table-state\");clear(ts);if(!st.buckets.length)ts.appendChild(el(\"p\",null,\"(empty: no conntrack hashed)\"));\n"
	" var pb=keyed(prev?prev.buckets:[],\"bucket\"),pc=keyed(prev?prev.conntracks:[],\"ct\");\n"
	" st.buckets.forEach(function(b){var d=el(\"div\",\"bucket\"+(prev&&pb[b.bucket]!==JSON.stringify(b)?\" changed\":\"\"));d.appendChild(el(\"b\",null,\"bucket \"+b.bucket));"
	"var ul=el(\"ul\");b.chain.forEach(function(n){var li=el(\"li\",\"mono\",\"ct#\"+n.ct+\" \"+n.dir+\" \"+n.tuple+\" use=\"+n.use+\" \");"
	"li.appendChild(bits(n.status));ul.appendChild(li);});d.appendChild(ul);ts.appendChild(d);});\n"
	" var k=$(\"skb-ct\");clear(k);row(k,[\"cpu\",\"skb->_nfct\"],true);"
	"st.skb_ct.forEach(function(v,i){var r=row(k,[\"cpu\"+i,v<0?\"none\":\"ct#\"+v]);if(prev&&prev.skb_ct[i]!==v)r.className=\"changed\";});\n"
	" var o=$(\"conntracks\");clear(o);row(o,[\"ct\",\"original\",\"reply\",\"status\",\"use\",\"lists\"],true);"
	"st.conntracks.forEach(function(x){var r=row(o,[\"ct#\"+x.ct,x.original,x.reply,bits(x.status),x.use,x.lists.join(\" \")]);"
	"if(prev&&pc[x.ct]!==JSON.stringify(x))r.className=\"changed\";});\n"
	" $(\"ports\").textContent=st.ports_drawn.length?st.ports_drawn.join(\", \"):\"none\";\n"
	" var f=$(\"fate\");clear(f);row(f,[\"packet\",\"fate\"],true);Object.keys(st.fate).forEach(function(p){row(f,[p,st.fate[p]]);});}\n"
	"function render(){var w=data.witnesses[cur.id],i=cur.step,s=w.steps[i];\n"
	" $(\"cur-step\").textContent=String(i);$(\"cur-cpu\").textContent=w.lanes[s.lane];$(\"cur-fn\").textContent=s.fn;"
	"$(\"cur-action\").textContent=s.action;\n"
	" var src=$(\"cur-src\");$(\"cur-where\").style.display=s.src?\"\":\"none\";if(s.src){src.textContent=s.src+\" at \"+w.tree;src.href=s.url;}\n"
	" var n=$(\"cur-notes\");clear(n);s.notes.forEach(function(x){n.appendChild(el(\"li\",null,x));});\n"
	" cur.rows.forEach(function(r,j){r.classList.toggle(\"current\",j===i);});\n"
	" var wrap=$(\"lanes-wrap\"),r=cur.rows[i];if(r&&(r.offsetTop<wrap.scrollTop+30||r.offsetTop+r.offsetHeight>wrap.scrollTop+wrap.clientHeight))"
	"wrap.scrollTop=Math.max(0,r.offsetTop-wrap.clientHeight/3);\n"
	" showState(s.state,i>0?w.steps[i-1].state:null);\n"
	" var v=$(\"viewer\"),lg=v.getAttribute(\"data-nav\");v.setAttribute(\"data-nav\",(lg?lg+\" \":\"\")+i);\n"
	" try{history.replaceState(null,\"\",\"#step=\"+cur.id+\"/\"+i);}catch(e){}}\n"
	"function go(i){var w=data.witnesses[cur.id];if(!w)return;cur.step=Math.max(0,Math.min(w.steps.length-1,i));render();}\n"
	"function show(id,i){if(!data.witnesses[id])return false;if(cur.id!==id)build(id);go(i);return true;}\n"
	"function fromHash(){var h=decodeURIComponent(location.hash.slice(1)),acts=\"\";\n"
	" h.split(\"&\").forEach(function(p){if(p.indexOf(\"step=\")===0){var v=p.slice(5),k=v.lastIndexOf(\"/\");"
	"if(!show(v.slice(0,k),parseInt(v.slice(k+1),10)||0)&&cur.id===null&&data.order.length)show(data.open,0);else $(\"timeline\").scrollIntoView();}else if(p.indexOf(\"do=\")===0)acts=p.slice(3);});\n"
	" acts.split(\"\").forEach(function(a){if(a===\"n\")$(\"next\").click();else if(a===\"p\")$(\"prev\").click();"
	"else if(a===\"r\"||a===\"l\")document.dispatchEvent(new KeyboardEvent(\"keydown\",{key:a===\"r\"?\"ArrowRight\":\"ArrowLeft\",bubbles:true}));});}\n"
	"$(\"next\").addEventListener(\"click\",function(){go(cur.step+1);});\n"
	"$(\"prev\").addEventListener(\"click\",function(){go(cur.step-1);});\n"
	"document.addEventListener(\"keydown\",function(e){var t=e.target&&e.target.tagName;if(t===\"SELECT\"||t===\"INPUT\")return;"
	"if(e.key===\"ArrowRight\"){go(cur.step+1);e.preventDefault();}else if(e.key===\"ArrowLeft\"){go(cur.step-1);e.preventDefault();}});\n"
	"var sel=$(\"witness-select\");data.order.forEach(function(id){var o=el(\"option\",null,id);o.value=id;sel.appendChild(o);});\n"
	"sel.addEventListener(\"change\",function(){show(sel.value,0);});\n"
	"window.addEventListener(\"hashchange\",fromHash);\n"
	"var named=location.hash&&location.hash.indexOf(\"step=\")>=0;\n"
	"if(!data.order.length){$(\"viewer\").textContent=\"No cell drops a packet: there is no witness to step through.\";}\n"
	"else if(!named)show(data.open,0);\n"
	"if(named)fromHash();\n"
	"})();\n";

void html_page_tail(FILE *f)
{
	fprintf(f, "<script>\n%s</script>\n</body>\n</html>\n", script);
}
