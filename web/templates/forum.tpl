{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{FORUM_NAME}}</h1>
<p class="meta">{{SUMMARY}} · <a href="{{STATS_URL}}">[[Statistics]]</a> · <a href="{{LOG_URL}}">[[Moderation log]]</a></p>
{{>LISTS}}
{{>FOOTER}}
