{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{LANG}}">
<title>{{FEED_TITLE}}</title>
<id>{{FEED_ID}}</id>
<link rel="self" href="{{SELF_URL}}"/>
<link rel="alternate" type="text/html" href="{{HTML_URL}}"/>
<updated>{{UPDATED}}</updated>
<generator>Roundtable</generator>
{{#ENTRY}}<entry>
<title>{{TITLE}}</title>
<id>{{ID}}</id>
<link rel="alternate" type="text/html" href="{{URL}}"/>
<updated>{{DATE}}</updated>
<author><name>{{AUTHOR}}</name></author>
<content type="text">{{TEXT}}</content>
</entry>
{{/ENTRY}}
</feed>
