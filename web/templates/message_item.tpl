{{%AUTOESCAPE context="HTML"}}<article class="msg{{#NESTED}} depth-{{DEPTH}}{{/NESTED}}" id="m{{ID}}" aria-labelledby="h{{ID}}">
<header>
<h2 id="h{{ID}}" class="author">{{#PERSON}}<a href="{{PERSON_URL}}">{{AUTHOR}}</a>{{/PERSON}}{{#NO_PERSON}}{{AUTHOR}}{{/NO_PERSON}}</h2>
{{#GROUP}}<span class="group group-{{GROUP_KEY}}">{{GROUP_NAME}}{{#GROUP_VERIFIED}} <span class="verified">✓ {{VERIFIED}}</span>{{/GROUP_VERIFIED}}</span>{{/GROUP}}
<a class="permalink" href="{{PERMALINK}}"><time datetime="{{DATE_ISO}}">{{DATE}}</time></a>
{{#SHOW_SUBJECT}}<p class="subject">{{SUBJECT}}</p>{{/SHOW_SUBJECT}}
{{#EDITED}}<a class="edited" href="{{HISTORY_URL}}">[[edited]]</a>{{/EDITED}}
</header>
<div class="body">{{BODY:none}}</div>
{{#ATTACHMENTS}}<ul class="attachments" aria-label="[[Attachments]]">{{#ATTACHMENT}}<li><a href="{{URL}}" download>{{NAME}}</a> <span class="meta">{{TYPE}}, {{SIZE}}</span></li>{{/ATTACHMENT}}</ul>{{/ATTACHMENTS}}
<footer class="actions">
<a href="{{WEB_REPLY_URL}}" rel="nofollow">[[Reply]]</a>
<a href="{{REPLY_URL:none}}">[[Reply by email]]</a>
{{#EDIT}}<a href="{{EDIT_URL}}" rel="nofollow">[[Edit]]</a>{{/EDIT}}
<a href="{{RAW_URL}}" rel="nofollow">[[Raw message]]</a>
{{#IN_THREAD}}<a href="{{THREAD_URL}}">[[Whole thread]]</a>{{/IN_THREAD}}
</footer>
</article>
