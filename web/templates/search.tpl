{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>[[Search]]</h1>
<form class="search" action="/search" method="get">
<p><label for="q">[[Words or "exact phrases"]]</label>
<input id="q" name="q" type="search" value="{{Q}}"></p>
<div class="filters">
<p><label for="from">[[From]]</label> <input id="from" name="from" value="{{FROM}}"></p>
<p><label for="list">[[List]]</label> <input id="list" name="list" value="{{LIST}}"></p>
<p><label for="after">[[After]]</label> <input id="after" name="after" type="date" value="{{AFTER}}"></p>
<p><label for="before">[[Before]]</label> <input id="before" name="before" type="date" value="{{BEFORE}}"></p>
</div>
<p><button type="submit">[[Search]]</button> <span class="meta">[[Also: from:name list:name subject:word before:2007-01-31 after:2006-12-01 -word]]</span></p>
</form>
{{#ERROR}}<p class="error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#RESULTS}}<p class="meta" role="status">{{COUNT}}</p>
<ol class="hits" start="{{START}}">
{{#HIT}}<li><a class="subject" href="{{URL}}">{{SUBJECT}}</a>
<span class="meta">{{AUTHOR}} · {{LIST}} · <time datetime="{{DATE_ISO}}">{{DATE}}</time></span>
<p class="snippet">{{SNIPPET:none}}</p></li>
{{/HIT}}
</ol>
<nav class="pager" aria-label="[[Pages]]">{{#PREV}}<a rel="prev" href="{{URL}}">← [[Previous]]</a>{{/PREV}} {{#NEXT}}<a rel="next" href="{{URL}}">[[Next]] →</a>{{/NEXT}}</nav>
{{/RESULTS}}
{{>FOOTER}}
