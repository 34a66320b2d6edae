{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>[[Forums]]</h1>
{{#NO_FORUMS}}<p>[[The archive is empty. Import a list archive with roundtable import.]]</p>{{/NO_FORUMS}}
{{#FORUM}}
<section class="forum">
<h2><a href="{{FORUM_URL}}">{{FORUM_NAME}}</a></h2>
<p class="meta">{{SUMMARY}} · <a href="{{STATS_URL}}">[[Statistics]]</a></p>
{{>LISTS}}
</section>
{{/FORUM}}
{{>FOOTER}}
