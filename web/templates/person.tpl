{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{NAME}}</h1>
<dl class="facts">
<dt>[[Stakeholder group]]</dt><dd>{{GROUP_NAME}}</dd>
{{#AFFILIATION}}<dt>[[Affiliation]]</dt><dd>{{VALUE}}</dd>{{/AFFILIATION}}
<dt>[[Addresses]]</dt><dd><ul class="plain">{{#ADDRESS}}<li>{{VALUE}}</li>{{/ADDRESS}}</ul></dd>
<dt>[[Messages]]</dt><dd>{{MESSAGES}}{{#SPAN}} ({{FIRST}} – {{LAST}}){{/SPAN}}</dd>
</dl>
<h2>[[Lists]]</h2>
<ul class="plain">{{#LIST}}<li><a href="{{URL}}">{{FORUM}} / {{NAME}}</a> <span class="meta">{{COUNT}}</span></li>{{/LIST}}</ul>
<h2>[[Messages]]</h2>
<ul class="threads">{{#MESSAGE}}<li><a class="subject" href="{{URL}}">{{SUBJECT}}</a> <span class="meta">{{LIST}} · <time datetime="{{DATE_ISO}}">{{DATE}}</time></span></li>{{/MESSAGE}}</ul>
{{#MORE}}<nav class="pager" aria-label="[[Pages]]"><a rel="next" href="{{NEXT_URL}}">[[Older messages]] →</a></nav>{{/MORE}}
{{>FOOTER}}
