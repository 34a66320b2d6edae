{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="{{LANG}}" dir="{{DIR}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · Roundtable</title>
<link rel="stylesheet" href="{{CSS_URL}}">
<script src="{{JS_URL}}" defer></script>
{{#FEED}}<link rel="alternate" type="application/atom+xml" title="{{FEED_TITLE}}" href="{{FEED_URL}}">{{/FEED}}
</head>
<body>
<a class="skip" href="#main">[[Skip to content]]</a>
<header class="site">
<a class="brand" href="/">Roundtable</a>
<form class="quick-search" role="search" action="/search" method="get">
<label for="site-q" class="vh">[[Search the archive]]</label>
<input id="site-q" name="q" type="search" value="{{QUERY}}" placeholder="[[Search the archive]]">
<button type="submit">[[Search]]</button>
</form>
<nav class="account" aria-label="[[Account]]">{{#SIGNED_IN}}<a href="/account">{{NAME}}</a>{{/SIGNED_IN}}{{#SIGNED_OUT}}<a href="/signin">[[Sign in]]</a> <a href="/signup">[[Sign up]]</a>{{/SIGNED_OUT}}</nav>
</header>
{{#CRUMBS}}<nav class="crumbs" aria-label="[[Breadcrumbs]]"><ol>{{#CRUMB}}<li><a href="{{URL}}">{{NAME}}</a></li>{{/CRUMB}}</ol></nav>{{/CRUMBS}}
<main id="main">
