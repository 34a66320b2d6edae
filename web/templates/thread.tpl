{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{SUBJECT}}</h1>
<p class="meta">{{SUMMARY}} · <a href="{{FEED_URL}}">[[Atom feed]]</a></p>
<nav class="views" aria-label="[[Thread view]]">
<a href="{{FLAT_URL}}"{{#FLAT}} aria-current="page"{{/FLAT}}>[[Flat]]</a>
<a href="{{NESTED_URL}}"{{#NESTED_VIEW}} aria-current="page"{{/NESTED_VIEW}}>[[Nested]]</a>
<button type="button" class="expand-all" hidden>[[Expand all quotes]]</button>
</nav>
{{#MESSAGE}}{{>ITEM}}{{/MESSAGE}}
{{#PAGER}}<nav class="pager" aria-label="[[Pages]]">{{#PREV}}<a rel="prev" href="{{URL}}">← [[Earlier messages]]</a>{{/PREV}} <span>{{PAGE_OF}}</span> {{#NEXT}}<a rel="next" href="{{URL}}">[[Later messages]] →</a>{{/NEXT}}</nav>{{/PAGER}}
{{>FOOTER}}
